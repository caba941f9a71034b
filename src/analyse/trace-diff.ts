// Two traces of one operation compared span group by span group (trace-shape.ts): what grew or
// shrank beyond the noise threshold, what is new or gone, what started or stopped failing, the
// self time per service, and where the critical path moved. A pure function of two shapes, so
// a baseline of medians (baseline.ts) compares the same way as a second trace.
import type { SpanKind, Trace } from '../types.js';
import { traceRow } from './trace-rows.js';
import { groupKey, shapeOf, type GroupFigures, type ShapeNode, type TraceShape } from './trace-shape.js';

/**
 * A change counts only when it is beyond both parts: more than `ratio` of the first side's value
 * and more than `ms` (Tempo's trace diff treats under 20% or under 1 ms as noise).
 */
export interface NoiseThreshold {
  ratio: number;
  ms: number;
}

export const DEFAULT_THRESHOLD: NoiseThreshold = { ratio: 0.2, ms: 1 };

export type DurationChange = 'grew' | 'shrank';
export type ErrorChange = 'now-failing' | 'no-longer-failing';
export type PathChange = 'joined' | 'left';

export interface DiffNode {
  service: string;
  name: string;
  kind: SpanKind | null;
  /** Whom the group's spans call (trace-shape.ts), null for work within a service. */
  callee: string | null;
  depth: number;
  /** The group on each side; null where it is missing (added in B, or removed from A). */
  a: GroupFigures | null;
  b: GroupFigures | null;
  spanIdsA: string[];
  spanIdsB: string[];
  /** B − A of the group's total duration, ms (a missing side counts as 0). */
  totalChangeMs: number;
  selfChangeMs: number;
  /**
   * B − A of the critical-path time of the group and everything under it: its part of the change
   * in the trace's duration (the critical path adds up to the duration).
   */
  contributionMs: number;
  /** Beyond the noise threshold; null when within it, or when a side is missing. */
  duration: DurationChange | null;
  countChanged: boolean;
  /** Whether some span of the group fails, changed. */
  errorChange: ErrorChange | null;
  /** On the critical path in only one of the traces (its time there beyond the threshold's ms). */
  criticalPath: PathChange | null;
  /** This group changed: added, removed, count, duration beyond noise or error state. */
  changed: boolean;
  /** Some group under it changed. */
  changedBelow: boolean;
  children: DiffNode[];
}

export interface ServiceChange {
  service: string;
  aSelfMs: number;
  bSelfMs: number;
  changeMs: number;
  changed: boolean;
}

export interface PathStep {
  node: DiffNode;
  criticalMs: number;
}

/** The group the one-line summary names: the one whose own critical time moved most with the total. */
export interface DiffLead {
  node: DiffNode;
  /**
   * Its own part of the change: B − A of its own time on the critical path (its children's not
   * counted, so the figure never takes credit for a subtree whose other parts moved the other way).
   */
  contributionMs: number;
  selfChangeMs: number;
}

export interface TraceDiff {
  threshold: NoiseThreshold;
  aDurationMs: number;
  bDurationMs: number;
  durationChangeMs: number;
  /** The whole trace's change, beyond noise; null within it. */
  duration: DurationChange | null;
  /** Top-level groups, every level sorted by contribution to the total change (largest first). */
  roots: DiffNode[];
  /** Every group in tree order (the sorted order), for renderers that want a flat list. */
  nodes: DiffNode[];
  /** Services by size of their self-time change. */
  services: ServiceChange[];
  /** The groups on each side's critical path, in tree order. */
  criticalPathA: PathStep[];
  criticalPathB: PathStep[];
  lead: DiffLead | null;
  /** Anything at all beyond noise: the trace's duration, a group, or a service's self time. */
  changed: boolean;
  /** Groups that changed, and groups compared. */
  changedCount: number;
}

/** True when going from `a` to `b` is beyond both parts of the threshold. */
export function beyondNoise(aMs: number, bMs: number, threshold: NoiseThreshold): boolean {
  const change = Math.abs(bMs - aMs);
  return change > threshold.ms && change > threshold.ratio * Math.abs(aMs);
}

/** Compares two shapes (of traces, or of a baseline and a trace). */
export function diffShapes(a: TraceShape, b: TraceShape, threshold: NoiseThreshold = DEFAULT_THRESHOLD): TraceDiff {
  const preorder = matchGroups(a.roots, b.roots, threshold);
  // Children come after their parent in preorder: walking it backwards sums subtrees up.
  for (let i = preorder.length - 1; i >= 0; i--) {
    const node = preorder[i]!;
    for (const child of node.children) {
      node.contributionMs += child.contributionMs;
      if (child.changed || child.changedBelow) node.changedBelow = true;
    }
  }
  const criticalPathA = pathOf(preorder, (n) => n.a);
  const criticalPathB = pathOf(preorder, (n) => n.b);
  const roots = preorder.filter((n) => n.depth === 0);
  sortByContribution(roots);
  for (const node of preorder) sortByContribution(node.children);
  const nodes = flatten(roots);
  const services = serviceChanges(a.serviceSelfMs, b.serviceSelfMs, threshold);
  const durationChangeMs = b.durationMs - a.durationMs;
  const duration = beyondNoise(a.durationMs, b.durationMs, threshold) ? (durationChangeMs > 0 ? 'grew' : 'shrank') : null;
  const changedCount = nodes.filter((n) => n.changed).length;
  return {
    threshold,
    aDurationMs: a.durationMs,
    bDurationMs: b.durationMs,
    durationChangeMs,
    duration,
    roots,
    nodes,
    services,
    criticalPathA,
    criticalPathB,
    lead: duration === null ? null : leadOf(nodes, durationChangeMs),
    changed: duration !== null || changedCount > 0 || services.some((s) => s.changed),
    changedCount,
  };
}

/** Matches the groups of both trees level by level; returns every diff node in preorder. */
function matchGroups(aRoots: readonly ShapeNode[], bRoots: readonly ShapeNode[], threshold: NoiseThreshold): DiffNode[] {
  const roots: DiffNode[] = [];
  const work: Array<{ a: readonly ShapeNode[]; b: readonly ShapeNode[]; depth: number; into: DiffNode[] }> = [{ a: aRoots, b: bRoots, depth: 0, into: roots }];
  while (work.length > 0) {
    const level = work.pop()!;
    const pairs = new Map<string, { a: ShapeNode | null; b: ShapeNode | null }>();
    for (const node of level.a) pairs.set(groupKey(node), { a: node, b: null });
    for (const node of level.b) {
      const pair = pairs.get(groupKey(node));
      if (pair) pair.b = node;
      else pairs.set(groupKey(node), { a: null, b: node });
    }
    const made: Array<[DiffNode, { a: ShapeNode | null; b: ShapeNode | null }]> = [];
    for (const pair of pairs.values()) {
      const node = compareGroup(pair.a, pair.b, level.depth, threshold);
      level.into.push(node);
      made.push([node, pair]);
    }
    for (const [node, pair] of made) work.push({ a: pair.a?.children ?? [], b: pair.b?.children ?? [], depth: level.depth + 1, into: node.children });
  }
  return flatten(roots);
}

function flatten(roots: readonly DiffNode[]): DiffNode[] {
  const out: DiffNode[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

function compareGroup(a: ShapeNode | null, b: ShapeNode | null, depth: number, threshold: NoiseThreshold): DiffNode {
  const like = (a ?? b)!;
  const figures = (n: ShapeNode | null): GroupFigures | null =>
    n === null ? null : { count: n.count, totalMs: n.totalMs, selfMs: n.selfMs, criticalMs: n.criticalMs, errors: n.errors };
  const aTotal = a?.totalMs ?? 0;
  const bTotal = b?.totalMs ?? 0;
  const duration = a !== null && b !== null && beyondNoise(aTotal, bTotal, threshold) ? (bTotal > aTotal ? 'grew' : 'shrank') : null;
  const aFails = (a?.errors ?? 0) > 0;
  const bFails = (b?.errors ?? 0) > 0;
  // A new group that fails is a change of error state too, and so is a failing group that is gone.
  const errorChange = aFails === bFails ? null : bFails ? 'now-failing' : 'no-longer-failing';
  const countChanged = a !== null && b !== null && a.count !== b.count;
  const aCritical = a?.criticalMs ?? 0;
  const bCritical = b?.criticalMs ?? 0;
  // Joined: more than noise on B's critical path and not on A's at all; left: the other way round.
  const criticalPath = bCritical > threshold.ms && aCritical === 0 ? 'joined' : aCritical > threshold.ms && bCritical === 0 ? 'left' : null;
  return {
    service: like.service,
    name: like.name,
    kind: like.kind,
    callee: like.callee,
    depth,
    a: figures(a),
    b: figures(b),
    spanIdsA: a?.spanIds ?? [],
    spanIdsB: b?.spanIds ?? [],
    totalChangeMs: bTotal - aTotal,
    selfChangeMs: (b?.selfMs ?? 0) - (a?.selfMs ?? 0),
    contributionMs: (b?.criticalMs ?? 0) - (a?.criticalMs ?? 0),
    duration,
    countChanged,
    errorChange,
    criticalPath,
    changed: a === null || b === null || duration !== null || countChanged || errorChange !== null,
    changedBelow: false,
    children: [],
  };
}

/** Largest contribution to the total change first; then largest change of duration; else as found. */
function sortByContribution(nodes: DiffNode[]): void {
  nodes.sort((x, y) => Math.abs(y.contributionMs) - Math.abs(x.contributionMs) || Math.abs(y.totalChangeMs) - Math.abs(x.totalChangeMs));
}

function pathOf(preorder: readonly DiffNode[], side: (n: DiffNode) => GroupFigures | null): PathStep[] {
  const steps: PathStep[] = [];
  for (const node of preorder) {
    const critical = side(node)?.criticalMs ?? 0;
    if (critical > 0) steps.push({ node, criticalMs: critical });
  }
  return steps;
}

/**
 * The group whose own critical-path time moved most in the direction of the total change (the
 * deeper one on a tie: it is where the time went); by self time when no critical time moved.
 */
function leadOf(nodes: readonly DiffNode[], totalChangeMs: number): DiffLead | null {
  const sign = Math.sign(totalChangeMs);
  const own = (n: DiffNode) => sign * ((n.b?.criticalMs ?? 0) - (n.a?.criticalMs ?? 0));
  let best: DiffNode | null = null;
  for (const n of nodes) if (own(n) > 0 && (best === null || own(n) > own(best) || (own(n) === own(best) && n.depth > best.depth))) best = n;
  if (best === null) {
    for (const n of nodes) if (sign * n.selfChangeMs > 0 && (best === null || sign * n.selfChangeMs > sign * best.selfChangeMs)) best = n;
  }
  return best === null ? null : { node: best, contributionMs: (best.b?.criticalMs ?? 0) - (best.a?.criticalMs ?? 0), selfChangeMs: best.selfChangeMs };
}

function serviceChanges(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, threshold: NoiseThreshold): ServiceChange[] {
  const names = [...new Set([...a.keys(), ...b.keys()])];
  const out = names.map((service) => {
    const aSelfMs = a.get(service) ?? 0;
    const bSelfMs = b.get(service) ?? 0;
    return { service, aSelfMs, bSelfMs, changeMs: bSelfMs - aSelfMs, changed: !a.has(service) || !b.has(service) || beyondNoise(aSelfMs, bSelfMs, threshold) };
  });
  return out.sort((x, y) => Math.abs(y.changeMs) - Math.abs(x.changeMs));
}

/** What is compared on one side: a trace, or the baseline of its operation. */
export interface DiffSide {
  /** The trace's id; null for a baseline. */
  traceId: string | null;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  rootService: string | null;
  rootName: string | null;
  /** For a baseline: the traces its medians are over. */
  baselineTraces?: number;
}

/** A finished comparison, as every output mode gets it. */
export interface DiffReport {
  diff: TraceDiff;
  a: DiffSide;
  b: DiffSide;
}

/** Two analysed traces compared: A is the reference, B the one looked at. */
export function compareTraces(a: Trace, b: Trace, threshold: NoiseThreshold = DEFAULT_THRESHOLD): DiffReport {
  return { diff: diffShapes(shapeOf(a), shapeOf(b), threshold), a: traceSide(a), b: traceSide(b) };
}

export function traceSide(trace: Trace): DiffSide {
  const row = traceRow(trace);
  return { traceId: trace.traceId, durationMs: trace.durationMs, spanCount: trace.spans.length, errorCount: trace.errorCount, rootService: row.rootService, rootName: row.rootName };
}
