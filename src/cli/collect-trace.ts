import { normaliseLine, type NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { traceIdNeedles, traceIdsMatch } from '../trace-id.js';
import { newStats, type LogRecord, type ScanStats } from '../types.js';
import { formatBytes, startProgress } from './progress.js';

export interface CollectedTrace {
  records: LogRecord[];
  stats: ScanStats;
}

/**
 * Reads a source for one trace: the raw-byte prefilter drops lines that cannot hold the id,
 * the rest are normalised and kept when their trace id matches (case, 64-bit halves and
 * Datadog's decimal form included). Shared by `show` and `check`.
 */
export async function collectTrace(
  source: LogSource,
  traceId: string,
  normaliseOptions: NormaliseOptions,
  signal?: AbortSignal,
): Promise<CollectedTrace> {
  const stats = newStats();
  const records: LogRecord[] = [];
  const progress = startProgress();
  try {
    const batches = source.read({
      needles: traceIdNeedles(traceId),
      stats,
      signal,
      onProgress: (done, total) =>
        progress.update(total > 0 ? `reading ${formatBytes(done)} of ${formatBytes(total)}` : `reading ${formatBytes(done)}`),
    });
    for await (const batch of batches) {
      for (const raw of batch) {
        const normalised = normaliseLine(raw, normaliseOptions);
        if (normalised === null) {
          stats.malformedLines++;
          continue;
        }
        let matched = false;
        for (const record of normalised) {
          if (record.traceId && traceIdsMatch(record.traceId, traceId)) {
            records.push(record);
            matched = true;
          }
        }
        if (matched) stats.linesMatched++;
      }
    }
  } finally {
    progress.stop();
  }
  return { records, stats };
}
