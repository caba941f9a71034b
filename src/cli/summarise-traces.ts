import { TraceSummaries } from '../assemble/trace-summary.js';
import { normaliseLine, type NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type ScanStats } from '../types.js';
import { preferLeanHeap } from './lean-heap.js';
import { formatBytes, startProgress } from './progress.js';

export interface SummarisedTraces {
  summaries: TraceSummaries;
  stats: ScanStats;
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
  preferLeanHeap();
  const stats = options.into?.stats ?? newStats();
  const summaries = options.into?.summaries ?? new TraceSummaries();
  const progress = startProgress();
  try {
    const batches = source.read({
      needles: options.needles,
      stats,
      signal: options.signal,
      onProgress: (done, total) =>
        progress.update(total > 0 ? `reading ${formatBytes(done)} of ${formatBytes(total)}` : `reading ${formatBytes(done)}`),
    });
    for await (const batch of batches) {
      for (const raw of batch) {
        const records = normaliseLine(raw, normaliseOptions);
        if (records === null) {
          stats.malformedLines++;
          continue;
        }
        let matched = false;
        for (const record of records) {
          if (!record.traceId) continue;
          summaries.add(record);
          matched = true;
        }
        if (matched) stats.linesMatched++;
      }
    }
  } finally {
    progress.stop();
  }
  return { summaries, stats };
}
