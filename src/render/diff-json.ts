// `diff --json`: one object with stable names (README: diff --json). Every span group is listed,
// changed or not, in the tree's order; `id` is its index in that list, `parentId` its parent's
// (numbers, not paths: a path id grows with the depth, and a 100 000-deep chain would make the
// ids quadratic). Durations are milliseconds, rounded to the microsecond.
import type { DiffNode, DiffReport, DiffSide, PathStep } from '../analyse/trace-diff.js';
import type { GroupFigures } from '../analyse/trace-shape.js';
import { summaryLine } from './diff-summary.js';
import { roundMs, stringifyForTerminal } from './json.js';

export function renderDiffJson(report: DiffReport): string {
  return stringifyForTerminal(diffToJson(report)) + '\n';
}

export function diffToJson(report: DiffReport): Record<string, unknown> {
  const { diff } = report;
  const ids = new Map<DiffNode, number>();
  const spans: Record<string, unknown>[] = [];
  // Preorder with explicit parents.
  const stack: Array<{ node: DiffNode; parentId: number | null }> = diff.roots.map((node) => ({ node, parentId: null })).reverse();
  while (stack.length > 0) {
    const { node, parentId } = stack.pop()!;
    const id = spans.length;
    ids.set(node, id);
    spans.push(groupJson(node, id, parentId));
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parentId: id });
  }
  const path = (steps: readonly PathStep[]) => steps.map((s) => ({ id: ids.get(s.node)!, service: s.node.service, name: s.node.name, criticalMs: roundMs(s.criticalMs) }));
  return {
    summary: summaryLine(report),
    changed: diff.changed,
    threshold: { percent: Math.round(diff.threshold.ratio * 10000) / 100, ms: roundMs(diff.threshold.ms) },
    a: sideJson(report.a),
    b: sideJson(report.b),
    durationChangeMs: roundMs(diff.durationChangeMs),
    durationChange: diff.duration,
    lead: diff.lead === null ? null : { id: ids.get(diff.lead.node)!, service: diff.lead.node.service, name: diff.lead.node.name, contributionMs: roundMs(diff.lead.contributionMs), selfChangeMs: roundMs(diff.lead.selfChangeMs) },
    changedGroups: diff.changedCount,
    spans,
    services: diff.services.map((s) => ({ service: s.service, aSelfMs: roundMs(s.aSelfMs), bSelfMs: roundMs(s.bSelfMs), changeMs: roundMs(s.changeMs), changed: s.changed })),
    criticalPath: { a: path(diff.criticalPathA), b: path(diff.criticalPathB) },
  };
}

function sideJson(side: DiffSide): Record<string, unknown> {
  const out: Record<string, unknown> = {
    traceId: side.traceId,
    baseline: side.baselineTraces !== undefined,
    durationMs: roundMs(side.durationMs),
    spanCount: side.spanCount,
    errorCount: side.errorCount,
    rootService: side.rootService,
    rootName: side.rootName,
  };
  if (side.baselineTraces !== undefined) out.baselineTraces = side.baselineTraces;
  return out;
}

function groupJson(node: DiffNode, id: number, parentId: number | null): Record<string, unknown> {
  return {
    id,
    parentId,
    depth: node.depth,
    service: node.service,
    name: node.name,
    kind: node.kind,
    callee: node.callee,
    change: node.a === null ? 'added' : node.b === null ? 'removed' : (node.duration ?? (node.changed ? 'changed' : 'same')),
    changed: node.changed,
    a: figuresJson(node.a),
    b: figuresJson(node.b),
    totalChangeMs: roundMs(node.totalChangeMs),
    selfChangeMs: roundMs(node.selfChangeMs),
    contributionMs: roundMs(node.contributionMs),
    countChanged: node.countChanged,
    errorChange: node.errorChange,
    criticalPath: node.criticalPath,
    spanIdsA: node.spanIdsA,
    spanIdsB: node.spanIdsB,
  };
}

function figuresJson(f: GroupFigures | null): Record<string, number> | null {
  if (f === null) return null;
  return { count: f.count, totalMs: roundMs(f.totalMs), selfMs: roundMs(f.selfMs), criticalMs: roundMs(f.criticalMs), errors: f.errors };
}
