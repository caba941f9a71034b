import type { Span, Trace } from '../types.js';

/**
 * A span's self time: its duration minus the union of its children's intervals, each clipped to
 * the span. Overlapping children are counted once; the result is never below 0.
 */
export function selfTimeNs(span: Span): bigint {
  const total = span.endNs - span.startNs;
  if (total <= 0n) return 0n;
  if (span.children.length === 0) return total;
  const intervals: Array<[bigint, bigint]> = [];
  for (const c of span.children) {
    const start = c.startNs < span.startNs ? span.startNs : c.startNs;
    const end = c.endNs > span.endNs ? span.endNs : c.endNs;
    if (end > start) intervals.push([start, end]);
  }
  intervals.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let covered = 0n;
  let reach = span.startNs; // the furthest end covered so far
  for (const [start, end] of intervals) {
    if (end <= reach) continue;
    covered += end - (start > reach ? start : reach);
    reach = end;
  }
  const self = total - covered;
  return self > 0n ? self : 0n;
}

export function selfTimeMs(span: Span): number {
  return Number(selfTimeNs(span)) / 1e6;
}

/** Self time of every span in the trace, keyed by the span itself (ids may repeat). */
export function selfTimes(trace: Trace): Map<Span, number> {
  const out = new Map<Span, number>();
  for (const span of trace.spans) out.set(span, selfTimeMs(span));
  return out;
}
