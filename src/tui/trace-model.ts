import { criticalPathShares, criticalSectionsBySpan, type CriticalSection } from '../analyse/critical-path.js';
import type { ScanStats, Span, Trace } from '../types.js';

/**
 * What the interactive view reads of one analysed trace, computed once when it opens. Spans are
 * addressed by their index in `trace.spans` (tree order), never by id: ids can repeat in a
 * trace, and indices make the tree's shape plain arrays that a 100 000-span trace can afford.
 */
export interface TraceModel {
  trace: Trace;
  stats: ScanStats;
  spans: readonly Span[];
  /** Index of each span's parent in `spans`, -1 for roots. */
  parent: Int32Array;
  /** One past the last descendant of each span: its subtree is `i .. subtreeEnd[i] - 1`. */
  subtreeEnd: Int32Array;
  /** Failing spans, in tree order. */
  errors: readonly number[];
  /** The span marked as the error origin, -1 when none is. */
  origin: number;
  /** Per span id, the sections of it on the critical path (what the bars draw solid). */
  criticalSections: ReadonlyMap<string, ReadonlyArray<readonly [bigint, bigint]>>;
  /** Per span id, its time on the critical path (ms) and share of the trace (0..1). */
  criticalShare: ReadonlyMap<string, { ms: number; share: number }>;
  /** A line for the status bar as the view opens (how the trace was read), until the first key. */
  note?: string;
}

export function traceModel(trace: Trace, stats: ScanStats, critical: readonly CriticalSection[]): TraceModel {
  const spans = trace.spans;
  const parent = new Int32Array(spans.length).fill(-1);
  const subtreeEnd = new Int32Array(spans.length);
  // Depth-first order: the ancestors of a row are the open entries of a stack of depths.
  const open: number[] = [];
  spans.forEach((span, i) => {
    while (open.length > 0 && spans[open[open.length - 1]!]!.depth >= span.depth) subtreeEnd[open.pop()!] = i;
    if (open.length > 0) parent[i] = open[open.length - 1]!;
    open.push(i);
  });
  for (const i of open) subtreeEnd[i] = spans.length;
  const errors: number[] = [];
  let origin = -1;
  spans.forEach((span, i) => {
    if (span.error) errors.push(i);
    if (span.errorOrigin && origin < 0) origin = i;
  });
  const criticalShare = new Map<string, { ms: number; share: number }>();
  for (const s of criticalPathShares(trace, critical)) criticalShare.set(s.spanId, { ms: s.criticalMs, share: s.share });
  return { trace, stats, spans, parent, subtreeEnd, errors, origin, criticalSections: criticalSectionsBySpan(critical), criticalShare };
}

export function hasChildren(model: TraceModel, i: number): boolean {
  return model.subtreeEnd[i]! > i + 1;
}

/**
 * The rows shown when the spans in `collapsed` hide their subtrees: span indices in tree order.
 * One pass that jumps over hidden subtrees, so its cost is the rows shown, not the trace.
 */
export function visibleRows(model: TraceModel, collapsed: ReadonlySet<number>): Int32Array {
  if (collapsed.size === 0) return identity(model.spans.length);
  // The store never changes a set, it replaces it: one set is one list of rows.
  const cached = rowsCache.get(collapsed);
  if (cached?.model === model) return cached.rows;
  const rows = rowsOf(model, collapsed);
  rowsCache.set(collapsed, { model, rows });
  return rows;
}

const rowsCache = new WeakMap<ReadonlySet<number>, { model: TraceModel; rows: Int32Array }>();

function rowsOf(model: TraceModel, collapsed: ReadonlySet<number>): Int32Array {
  const rows = new Int32Array(model.spans.length);
  let n = 0;
  for (let i = 0; i < model.spans.length; ) {
    rows[n++] = i;
    i = collapsed.has(i) ? model.subtreeEnd[i]! : i + 1;
  }
  return rows.subarray(0, n);
}

const identities = new Map<number, Int32Array>();
function identity(n: number): Int32Array {
  let rows = identities.get(n);
  if (!rows) {
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
    identities.clear(); // one trace is open at a time
    identities.set(n, rows);
  }
  return rows;
}

/** The span's ancestors, nearest first. */
export function ancestors(model: TraceModel, i: number): number[] {
  const out: number[] = [];
  for (let p = model.parent[i]!; p >= 0; p = model.parent[p]!) out.push(p);
  return out;
}
