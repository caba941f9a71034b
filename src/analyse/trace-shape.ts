// A trace reduced to what a comparison needs: its spans grouped by where they sit. Siblings with
// the same service, name and kind are one group (N calls to `db.query` under one parent are one
// node with a count and a total), and a group's children are the pooled children of its spans,
// so a span is identified by its own key and the chain of keys above it: the parent's identity
// tells apart repeats that sit under different parents. `diff` compares two shapes; a baseline
// is a shape of medians (baseline.ts).
import type { Span, SpanKind, Trace } from '../types.js';
import { criticalPathShares } from './critical-path.js';
import { selfTimeMs } from './self-time.js';

/** What a group of matched spans adds up to: one span, or N repeated siblings. */
export interface GroupFigures {
  count: number;
  /** The spans' durations added up, ms. */
  totalMs: number;
  /** Their self times (duration minus the union of the children) added up, ms. */
  selfMs: number;
  /** Their own time on the critical path (not their children's), ms. */
  criticalMs: number;
  /** How many of them failed. */
  errors: number;
}

export interface ShapeNode extends GroupFigures {
  service: string;
  name: string;
  kind: SpanKind | null;
  /**
   * The service a call span calls (its children's, when they are of another service), else null.
   * Part of the identity: HTTP client spans are often all named `POST`, and a call to
   * inventory-service is not a repeat of a call to payment-service.
   */
  callee: string | null;
  /** The ids of the group's spans, in start order (empty in a baseline: it has no spans). */
  spanIds: string[];
  children: ShapeNode[];
}

export interface TraceShape {
  /** The trace's roots, grouped like any other siblings. */
  roots: ShapeNode[];
  durationMs: number;
  spanCount: number;
  errorCount: number;
  /** Self time per service, ms. */
  serviceSelfMs: Map<string, number>;
}

/** The identity a group is matched on, among the children of one (matched) parent. */
export function groupKey(node: Pick<ShapeNode, 'service' | 'name' | 'kind' | 'callee'>): string {
  return `${node.service}\u0000${node.name}\u0000${node.kind ?? ''}\u0000${node.callee ?? ''}`;
}

/**
 * Whom a call span calls: the one other service all its cross-service children belong to. Only
 * for spans that may be calls (a client or producer span, or one without a kind below a root):
 * a root or a server span that calls several services keeps its identity whatever it calls.
 */
function calleeOf(span: Span): string | null {
  if (span.parentSpanId === null || (span.kind !== null && span.kind !== 'client' && span.kind !== 'producer')) return null;
  let callee: string | null = null;
  for (const child of span.children) {
    if (child.service === span.service || child.placeholder) continue;
    if (callee !== null && callee !== child.service) return null;
    callee = child.service;
  }
  return callee;
}

/** The shape of an analysed trace. Iterative: a 100 000-deep chain must not overflow the stack. */
export function shapeOf(trace: Trace): TraceShape {
  const critical = new Map<string, number>();
  for (const share of criticalPathShares(trace)) critical.set(share.spanId, share.criticalMs);
  const serviceSelfMs = new Map<string, number>();
  const roots: ShapeNode[] = [];
  // Each entry: spans that are siblings under one group, and where their groups go.
  const work: Array<{ spans: readonly Span[]; into: ShapeNode[] }> = [{ spans: trace.roots, into: roots }];
  while (work.length > 0) {
    const { spans, into } = work.pop()!;
    for (const { node, members } of groupSiblings(spans)) {
      for (const span of members) {
        const self = span.placeholder ? 0 : selfTimeMs(span);
        node.count++;
        node.totalMs += span.durationMs;
        node.selfMs += self;
        node.criticalMs += critical.get(span.spanId) ?? 0;
        if (span.error) node.errors++;
        node.spanIds.push(span.spanId);
        if (!span.placeholder) serviceSelfMs.set(span.service, (serviceSelfMs.get(span.service) ?? 0) + self);
      }
      into.push(node);
      const children = members.length === 1 ? members[0]!.children : members.flatMap((m) => m.children);
      if (members.length > 1) children.sort((x, y) => (x.startNs < y.startNs ? -1 : x.startNs > y.startNs ? 1 : 0));
      if (children.length > 0) work.push({ spans: children, into: node.children });
    }
  }
  return { roots, durationMs: trace.durationMs, spanCount: trace.spans.length, errorCount: trace.errorCount, serviceSelfMs };
}

/** Siblings grouped by key, groups in the order of their first span (siblings come by start). */
function groupSiblings(spans: readonly Span[]): Array<{ node: ShapeNode; members: Span[] }> {
  const groups: Array<{ node: ShapeNode; members: Span[] }> = [];
  const byKey = new Map<string, { node: ShapeNode; members: Span[] }>();
  for (const span of spans) {
    const identity = { service: span.service, name: span.name, kind: span.kind, callee: calleeOf(span) };
    const key = groupKey(identity);
    let group = byKey.get(key);
    if (!group) {
      group = { node: { ...identity, count: 0, totalMs: 0, selfMs: 0, criticalMs: 0, errors: 0, spanIds: [], children: [] }, members: [] };
      byKey.set(key, group);
      groups.push(group);
    }
    group.members.push(span);
  }
  return groups;
}
