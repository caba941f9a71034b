// Which requests a service was running at a moment, from folded span facts: what decides where
// an error that names no request (a Go panic printed by net/http) belongs.
import type { LogRecord } from '../types.js';
import type { SpanFacts } from './span-facts.js';
import type { TraceFacts } from './trace-facts.js';

/**
 * A span that never logged its end (no duration) counts as still running this long after its
 * last line: a request that panicked stops logging, and so may one that is merely slow.
 */
export const OPEN_SPAN_NS = 5_000_000_000n;

export interface RunningSpan {
  traceId: string;
  /** The span's id, or null for a visit of trace-id-only logs (`service#n`), which has none to log. */
  spanId: string | null;
}

/** Where a loose error goes: the one span running then, or how many were (0, or 2 and more). */
export type LoosePlace = { span: RunningSpan } | { running: number };

/**
 * Places each loose error (a record with a service and a time, no trace) on the one span of its
 * service running at its time, in time order. A span given a panic ended there (net/http ends
 * the request), so it is not running for a later one.
 */
export function placeLoose(traces: readonly TraceFacts[], loose: readonly LogRecord[]): Map<LogRecord, LoosePlace> {
  const ended = new Set<SpanFacts>();
  const places = new Map<LogRecord, LoosePlace>();
  const inOrder = loose.filter((e) => e.service !== null && e.timeNs !== null).sort((a, b) => (a.timeNs! < b.timeNs! ? -1 : a.timeNs! > b.timeNs! ? 1 : 0));
  for (const e of inOrder) {
    const running = runningAt(traces, e.service!, e.timeNs!).filter((r) => !ended.has(r.facts));
    if (running.length === 1) {
      const [only] = running;
      ended.add(only!.facts);
      places.set(e, { span: { traceId: only!.traceId, spanId: only!.spanId } });
    } else {
      places.set(e, { running: running.length });
    }
  }
  return places;
}

/** The spans of `service` running at `timeNs`, across `traces`. */
function runningAt(traces: readonly TraceFacts[], service: string, timeNs: bigint): (RunningSpan & { facts: SpanFacts })[] {
  const running: (RunningSpan & { facts: SpanFacts })[] = [];
  for (const trace of traces) {
    for (const f of trace.spans) if (f.service === service && isRunning(f, timeNs)) running.push({ traceId: trace.traceId, spanId: f.spanId, facts: f });
    for (const { facts } of trace.visits?.get(service) ?? []) if (isRunning(facts, timeNs)) running.push({ traceId: trace.traceId, spanId: null, facts });
  }
  return running;
}

function isRunning(f: { firstNs: bigint; lastNs: bigint; hasDuration: boolean; lineCount: number }, t: bigint): boolean {
  if (f.lineCount === 0 || f.firstNs > t) return false;
  return f.lastNs >= t || (!f.hasDuration && t - f.lastNs <= OPEN_SPAN_NS);
}
