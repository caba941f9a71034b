import { normaliseLine, type NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type LogRecord, type ScanStats } from '../types.js';
import { formatBytes, startProgress } from './progress.js';

export interface CollectedTraces {
  /** Records by trace id, in the order traces were first seen. */
  traces: Map<string, LogRecord[]>;
  stats: ScanStats;
}

/**
 * Every record with a trace id, grouped by trace: `check --all` assembles each one. Unlike
 * `traces` this keeps records, since assertions look at whole spans; CI smoke-test logs are small.
 */
export async function collectAllTraces(source: LogSource, normaliseOptions: NormaliseOptions, signal?: AbortSignal): Promise<CollectedTraces> {
  const stats = newStats();
  const traces = new Map<string, LogRecord[]>();
  const progress = startProgress();
  try {
    const batches = source.read({
      stats,
      signal,
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
          let list = traces.get(record.traceId);
          if (!list) traces.set(record.traceId, (list = []));
          list.push(record);
          matched = true;
        }
        if (matched) stats.linesMatched++;
      }
    }
  } finally {
    progress.stop();
  }
  return { traces, stats };
}
