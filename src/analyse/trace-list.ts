import type { TraceRow } from './trace-rows.js';

export type TraceSort = 'start' | 'duration' | 'errors';
export const TRACE_SORTS: readonly TraceSort[] = ['start', 'duration', 'errors'];

export interface TraceFilter {
  /** Only traces with at least one failing span. */
  errors?: boolean;
  minDurationMs?: number;
  /** The trace touches every one of these services. */
  services?: readonly string[];
  /** The trace starts in [fromNs, toNs). */
  fromNs?: bigint;
  toNs?: bigint;
}

export interface TraceList {
  /** The rows to show, sorted, at most `limit`. */
  rows: TraceRow[];
  /** Traces that passed the filters. */
  matched: number;
  /** Traces found before filtering. */
  total: number;
}

/**
 * Filters, sorts and cuts the summaries. `start` lists the latest first (what just happened),
 * `duration` the slowest first, `errors` the most failing spans first; ties go to the latest.
 */
export function listTraces(summaries: readonly TraceRow[], filter: TraceFilter, sort: TraceSort, limit: number): TraceList {
  const kept = summaries.filter((s) => passesFilter(s, filter));
  kept.sort(COMPARE[sort]);
  return { rows: kept.slice(0, limit), matched: kept.length, total: summaries.length };
}

/** Whether a trace (or its row) passes the `traces` filters; `map` filters traces by it too. */
export function passesFilter(s: Pick<TraceRow, 'errorCount' | 'durationMs' | 'services' | 'startNs'>, f: TraceFilter): boolean {
  if (f.errors && s.errorCount === 0) return false;
  if (f.minDurationMs !== undefined && s.durationMs < f.minDurationMs) return false;
  if (f.services && !f.services.every((name) => s.services.includes(name))) return false;
  if (f.fromNs !== undefined && s.startNs < f.fromNs) return false;
  if (f.toNs !== undefined && s.startNs >= f.toNs) return false;
  return true;
}

const byStartDesc = (a: TraceRow, b: TraceRow) =>
  a.startNs > b.startNs ? -1 : a.startNs < b.startNs ? 1 : a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0;

const COMPARE: Record<TraceSort, (a: TraceRow, b: TraceRow) => number> = {
  start: byStartDesc,
  duration: (a, b) => b.durationMs - a.durationMs || byStartDesc(a, b),
  errors: (a, b) => b.errorCount - a.errorCount || byStartDesc(a, b),
};
