import { TraceFold } from '../assemble/trace-facts.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type ScanStats } from '../types.js';
import type { ReadHooks } from './collect-trace.js';
import { readRecords } from './read-records.js';

export interface FoldedTraces {
  fold: TraceFold;
  stats: ScanStats;
}

/**
 * Reads every line of a source once and folds each record that has a trace id into its trace's
 * span facts (assemble/trace-facts.ts): no record is kept, so memory follows the number of
 * spans, never the number of lines. `traces` and `check --all` assemble each folded trace by
 * the same code as `show`. `into` adds a second read (Loki's second phase) to the same fold.
 */
export async function foldTraces(
  source: LogSource,
  normaliseOptions: NormaliseOptions,
  options: ReadHooks & { needles?: readonly string[]; into?: FoldedTraces } = {},
): Promise<FoldedTraces> {
  const stats = options.into?.stats ?? newStats();
  const fold = options.into?.fold ?? new TraceFold();
  await readRecords(source, {
    normaliseOptions,
    stats,
    needles: options.needles,
    signal: options.signal,
    onProgress: options.onProgress,
    keep: (r) => Boolean(r.traceId),
    onRecord: (r) => fold.add(r),
  });
  return { fold, stats };
}
