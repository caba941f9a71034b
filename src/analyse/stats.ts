import type { Span, Trace } from '../types.js';
import { selfTimeMs } from './self-time.js';

/** Aggregates for one service, or one operation (service + span name). */
export interface StatsRow {
  service: string;
  /** The span name; absent on per-service rows. */
  operation?: string;
  count: number;
  totalMs: number;
  avgMs: number;
  maxMs: number;
  selfMs: number;
  /**
   * selfMs / the trace's duration. Can exceed 1 when spans of the group ran concurrently: their
   * self times overlap in wall-clock time.
   */
  share: number;
  errors: number;
}

export interface TraceStats {
  traceDurationMs: number;
  spanCount: number;
  /** Spans referenced but never logged have no timing of their own and are left out. */
  placeholdersSkipped: number;
  byService: StatsRow[];
  byOperation: StatsRow[];
}

/** Per-service and per-operation aggregates, largest self time first. */
export function traceStats(trace: Trace): TraceStats {
  const services = new Map<string, StatsRow>();
  const operations = new Map<string, StatsRow>();
  let placeholders = 0;
  for (const span of trace.spans) {
    if (span.placeholder) {
      placeholders++;
      continue;
    }
    const self = selfTimeMs(span);
    add(row(services, span.service, span.service), span, self);
    add(row(operations, JSON.stringify([span.service, span.name]), span.service, span.name), span, self);
  }
  return {
    traceDurationMs: trace.durationMs,
    spanCount: trace.spans.length,
    placeholdersSkipped: placeholders,
    byService: finish(services, trace.durationMs),
    byOperation: finish(operations, trace.durationMs),
  };
}

function row(rows: Map<string, StatsRow>, key: string, service: string, operation?: string): StatsRow {
  let r = rows.get(key);
  if (!r) {
    r = { service, count: 0, totalMs: 0, avgMs: 0, maxMs: 0, selfMs: 0, share: 0, errors: 0 };
    if (operation !== undefined) r.operation = operation;
    rows.set(key, r);
  }
  return r;
}

function add(r: StatsRow, span: Span, selfMs: number): void {
  r.count++;
  r.totalMs += span.durationMs;
  if (span.durationMs > r.maxMs) r.maxMs = span.durationMs;
  r.selfMs += selfMs;
  if (span.error) r.errors++;
}

function finish(rows: Map<string, StatsRow>, traceMs: number): StatsRow[] {
  const out = [...rows.values()];
  for (const r of out) {
    r.avgMs = r.count > 0 ? r.totalMs / r.count : 0;
    r.share = traceMs > 0 ? r.selfMs / traceMs : 0;
  }
  return out.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs);
}
