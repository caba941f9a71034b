import { normaliseLine, type NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import type { LogRecord, RawLine, ScanStats } from '../types.js';
import { formatBytes, startProgress } from './progress.js';

export interface RecordSink {
  /** Which records belong (e.g. "has this trace id"). A line counts as matched when one does. */
  keep: (record: LogRecord) => boolean;
  onRecord: (record: LogRecord) => void;
}

/**
 * The one loop every command runs over raw lines: normalise, count what is malformed, hand on
 * the records that belong, count the lines they came from. Synchronous so worker threads can
 * run it too.
 */
export function normaliseBatch(batch: readonly RawLine[], options: NormaliseOptions, stats: ScanStats, sink: RecordSink): void {
  for (const raw of batch) {
    const records = normaliseLine(raw, options);
    if (records === null) {
      stats.malformedLines++;
      continue;
    }
    let matched = false;
    for (const record of records) {
      if (!sink.keep(record)) continue;
      sink.onRecord(record);
      matched = true;
    }
    if (matched) stats.linesMatched++;
  }
}

export interface ReadRecordsOptions extends RecordSink {
  normaliseOptions: NormaliseOptions;
  stats: ScanStats;
  /** Raw-byte prefilter (see LogSource). */
  needles?: readonly string[];
  signal?: AbortSignal;
}

/** Reads a whole source through normaliseBatch, with a progress spinner on a terminal. */
export async function readRecords(source: LogSource, options: ReadRecordsOptions): Promise<void> {
  const progress = startProgress();
  try {
    const batches = source.read({
      needles: options.needles,
      stats: options.stats,
      signal: options.signal,
      onProgress: (done, total) =>
        progress.update(total > 0 ? `reading ${formatBytes(done)} of ${formatBytes(total)}` : `reading ${formatBytes(done)}`),
    });
    for await (const batch of batches) normaliseBatch(batch, options.normaliseOptions, options.stats, options);
  } finally {
    progress.stop();
  }
}
