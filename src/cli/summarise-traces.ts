import { TraceSummaries, type TraceSummary } from '../assemble/trace-summary.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type ScanStats } from '../types.js';
import { readRecords } from './read-records.js';

export interface SummarisedTraces {
  summaries: TraceSummaries;
  stats: ScanStats;
}

/** What `traces` lists: one row per trace (in no particular order), and what reading took. */
export interface TraceRows {
  rows: TraceSummary[];
  stats: ScanStats;
}

export function rowsOf(read: SummarisedTraces): TraceRows {
  return { rows: read.summaries.summaries(), stats: read.stats };
}

/**
 * Reads every line of a source once and folds each record that has a trace id into its trace's
 * summary: nothing per line is kept, so memory follows the number of traces. Used by `traces`.
 * `into` lets a caller add a second read (Loki's second phase) to the same summaries.
 */
export async function summariseTraces(
  source: LogSource,
  normaliseOptions: NormaliseOptions,
  options: { needles?: readonly string[]; signal?: AbortSignal; into?: SummarisedTraces } = {},
): Promise<SummarisedTraces> {
  const stats = options.into?.stats ?? newStats();
  const summaries = options.into?.summaries ?? new TraceSummaries();
  await readRecords(source, {
    normaliseOptions,
    stats,
    needles: options.needles,
    signal: options.signal,
    keep: (r) => Boolean(r.traceId),
    onRecord: (r) => summaries.add(r),
  });
  return { summaries, stats };
}
