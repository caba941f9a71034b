import { endInput, feedLine, newLineGroups, type GroupOutput, type LineGroups } from '../normalise/line-groups.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import type { LogRecord, RawLine, ScanStats } from '../types.js';

export interface RecordSink {
  /** Which records belong (e.g. "has this trace id"). A line counts as matched when one does. */
  keep: (record: LogRecord) => boolean;
  onRecord: (record: LogRecord) => void;
}

/**
 * The one loop every command runs over raw lines: normalise, count what is malformed, hand on
 * the records that belong, count the lines they came from. Synchronous so worker threads can
 * run it too.
 *
 * Container pieces of one line are joined and stack-trace lines printed after a record are
 * attached to it (normalise/line-groups.ts), which needs state across lines. With `groups`, that
 * state lives on between calls: pass the same object for every batch of one input and call
 * endNormalise once it ends. Without it, the batch is taken as the whole input.
 */
export function normaliseBatch(
  batch: readonly RawLine[],
  options: NormaliseOptions,
  stats: ScanStats,
  sink: RecordSink,
  groups?: LineGroups,
): void {
  const g = groups ?? newLineGroups();
  const out = groupOutput(stats, sink);
  for (const raw of batch) feedLine(g, raw, options, out);
  if (!groups) endInput(g, options, out);
}

/** The input of `groups` ended: pieces still waiting are parsed as far as they got. */
export function endNormalise(groups: LineGroups, options: NormaliseOptions, stats: ScanStats, sink: RecordSink): void {
  endInput(groups, options, groupOutput(stats, sink));
}

function groupOutput(stats: ScanStats, sink: RecordSink): GroupOutput {
  return {
    records(records, lines) {
      let matched = false;
      for (const record of records) {
        if (!sink.keep(record)) continue;
        sink.onRecord(record);
        matched = true;
      }
      if (matched) stats.linesMatched += lines;
    },
    malformed(lines) {
      stats.malformedLines += lines;
    },
  };
}

export interface ReadRecordsOptions extends RecordSink {
  normaliseOptions: NormaliseOptions;
  stats: ScanStats;
  /** Raw-byte prefilter (see LogSource). */
  needles?: readonly string[];
  signal?: AbortSignal;
  /** Told how far reading got, in bytes (the CLI shows a spinner on a terminal). */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

/** Reads a whole source through normaliseBatch. */
export async function readRecords(source: LogSource, options: ReadRecordsOptions): Promise<void> {
  const batches = source.read({ needles: options.needles, stats: options.stats, signal: options.signal, onProgress: options.onProgress });
  const groups = newLineGroups();
  for await (const batch of batches) normaliseBatch(batch, options.normaliseOptions, options.stats, options, groups);
  endNormalise(groups, options.normaliseOptions, options.stats, options);
}

