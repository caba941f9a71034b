import type { Span, Trace } from '../types.js';
import { isAsyncEdge } from './async-edge.js';

/** A stretch of time during which `spanId` was what the trace was waiting on. */
export interface CriticalSection {
  spanId: string;
  startNs: bigint;
  endNs: bigint;
}

/** A span's time on the critical path: `criticalMs` is the union of its sections. */
export interface CriticalShare {
  spanId: string;
  service: string;
  name: string;
  depth: number;
  criticalMs: number;
  /** criticalMs / the trace's duration, 0..1. */
  share: number;
}

/** A span clipped to its parent, with only its blocking children, sorted by end, latest first. */
interface Node {
  span: Span;
  startNs: bigint;
  endNs: bigint;
  byEnd: Node[];
  /** Next candidate in byEnd when the walk comes back up; only ever moves forward. */
  next: number;
}

/**
 * The chain of spans that decided the trace's duration, found like Jaeger UI does: walk back from
 * each root's end, always into the blocking child that finished last. Sections come latest first.
 * Iterative throughout: a 100 000-deep chain must not overflow the stack.
 */
export function criticalPath(trace: Trace): CriticalSection[] {
  const sections: CriticalSection[] = [];
  for (const root of trace.roots) walkBack(clip(root), sections);
  if (trace.roots.length > 1) sections.sort((a, b) => (a.endNs > b.endNs ? -1 : a.endNs < b.endNs ? 1 : 0));
  return sections;
}

/** Per span on the critical path, in tree order: its critical time and share of the trace. */
export function criticalPathShares(trace: Trace, sections: readonly CriticalSection[] = criticalPath(trace)): CriticalShare[] {
  const nsBySpan = new Map<string, bigint>();
  for (const s of sections) nsBySpan.set(s.spanId, (nsBySpan.get(s.spanId) ?? 0n) + (s.endNs - s.startNs));
  const totalNs = trace.endNs - trace.startNs;
  const shares: CriticalShare[] = [];
  for (const span of trace.spans) {
    const ns = nsBySpan.get(span.spanId);
    if (ns === undefined) continue;
    nsBySpan.delete(span.spanId); // a duplicated id is listed once
    shares.push({
      spanId: span.spanId,
      service: span.service,
      name: span.name,
      depth: span.depth,
      criticalMs: Number(ns) / 1e6,
      share: totalNs > 0n ? Number(ns) / Number(totalNs) : 0,
    });
  }
  return shares;
}

/** The ids of the spans on the critical path, for the tree renderer's `criticalPath` option. */
export function criticalPathIds(sections: readonly CriticalSection[]): Set<string> {
  return new Set(sections.map((s) => s.spanId));
}

/**
 * Keeps blocking children only and clips each to its (already clipped) parent: a child wholly
 * outside is dropped with its subtree, one that sticks out is clamped.
 */
function clip(root: Span): Node {
  const top: Node = { span: root, startNs: root.startNs, endNs: root.endNs, byEnd: [], next: 0 };
  const stack: Node[] = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.span.children) {
      if (isAsyncEdge(node.span, child)) continue;
      if (child.startNs > node.endNs || child.endNs < node.startNs) continue;
      const clipped: Node = {
        span: child,
        startNs: child.startNs < node.startNs ? node.startNs : child.startNs,
        endNs: child.endNs > node.endNs ? node.endNs : child.endNs,
        byEnd: [],
        next: 0,
      };
      node.byEnd.push(clipped);
      stack.push(clipped);
    }
    // Latest end first; on a tie the earlier start, which covers more of the wait.
    node.byEnd.sort((a, b) =>
      a.endNs !== b.endNs ? (a.endNs > b.endNs ? -1 : 1) : a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0,
    );
  }
  return top;
}

function walkBack(root: Node, out: CriticalSection[]): void {
  const path: Node[] = [];
  let node = root;
  let t = root.endNs;
  let firstVisit = true;
  for (;;) {
    // On the first visit every child is a candidate (all end by t); coming back up, only those
    // that ended strictly before the time we have accounted back to.
    if (!firstVisit) while (node.next < node.byEnd.length && node.byEnd[node.next]!.endNs >= t) node.next++;
    const child = node.byEnd[node.next];
    if (child) {
      node.next++;
      if (child.endNs < t) out.push({ spanId: node.span.spanId, startNs: child.endNs, endNs: t });
      path.push(node);
      node = child;
      t = child.endNs;
      firstVisit = true;
      continue;
    }
    if (node.startNs < t) out.push({ spanId: node.span.spanId, startNs: node.startNs, endNs: t });
    t = node.startNs;
    const parent = path.pop();
    if (!parent) return;
    node = parent;
    firstVisit = false;
  }
}

/** Sections grouped per span id, for the tree renderer's `criticalSections` option. */
export function criticalSectionsBySpan(sections: readonly CriticalSection[]): Map<string, Array<readonly [bigint, bigint]>> {
  const out = new Map<string, Array<readonly [bigint, bigint]>>();
  for (const s of sections) {
    let list = out.get(s.spanId);
    if (!list) out.set(s.spanId, (list = []));
    list.push([s.startNs, s.endNs]);
  }
  return out;
}
