import { assembleFacts } from '../assemble/assemble.js';
import type { TraceFacts } from '../assemble/trace-facts.js';
import type { AnsweredStatus, Span, Trace } from '../types.js';
import { analyseTrace, type SkewChoice } from './analyse-trace.js';

/** One row of `traces`: what `show` says about a trace, in brief. */
export interface TraceRow {
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  /** Spans as `show` counts them: logged spans, service visits and never-logged parents. */
  spanCount: number;
  /** In tree order, as Trace.services. */
  services: string[];
  errorCount: number;
  /** Spans with a 4xx answer or a warn-level line, as `show --json` counts them. */
  warningCount: number;
  /** The earliest logged span that hangs under nothing logged; null when there is none. */
  rootService: string | null;
  rootName: string | null;
  /** What the root answered (HTTP status or gRPC code), when its lines say; whether it failed is `rootError`. */
  rootStatus: AnsweredStatus | null;
  rootError: boolean;
  /** Records (not lines) that carried the trace id. */
  recordCount: number;
}

/**
 * Rows for folded traces: each is assembled and analysed by the code `show` runs, reduced to
 * its row, and dropped, so only one trace's spans exist at a time.
 */
export function traceRows(traces: Iterable<TraceFacts>, skew: SkewChoice): TraceRow[] {
  const rows: TraceRow[] = [];
  for (const facts of traces) rows.push(factsRow(facts, skew));
  return rows;
}

/**
 * The traces one at a time, each dropped from the array as it is given: with TraceFold.take(),
 * a trace's facts can be freed as soon as its row is made, rather than all after the last row.
 */
export function* releasing(traces: (TraceFacts | null)[]): Generator<TraceFacts> {
  for (let i = 0; i < traces.length; i++) {
    const facts = traces[i]!;
    traces[i] = null;
    yield facts;
  }
}

/** One folded trace assembled and analysed as `show` would, down to its row. */
export function factsRow(facts: TraceFacts, skew: SkewChoice): TraceRow {
  return traceRow(analyseTrace(assembleFacts(facts), skew));
}

export function traceRow(trace: Trace): TraceRow {
  const root = rootOf(trace);
  return {
    traceId: trace.traceId,
    startNs: trace.startNs,
    endNs: trace.endNs,
    durationMs: trace.durationMs,
    spanCount: trace.spans.length,
    services: trace.services,
    errorCount: trace.errorCount,
    warningCount: trace.spans.filter((s) => s.warning).length,
    rootService: root?.service ?? null,
    rootName: root?.name ?? null,
    rootStatus: root?.status ?? null,
    rootError: root?.error ?? false,
    recordCount: trace.recordCount,
  };
}

function rootOf(trace: Trace): Span | null {
  let best: Span | null = null;
  for (const root of trace.roots) {
    for (const s of root.placeholder ? root.children : [root]) {
      if (!s.placeholder && (best === null || s.startNs < best.startNs)) best = s;
    }
  }
  return best ?? trace.spans.find((s) => !s.placeholder) ?? null;
}
