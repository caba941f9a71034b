// Runs raw lines through the shared loop (normaliseBatch) the way readRecords does: one LineGroups
// for the whole input, one call per batch, endNormalise at the end.
import { endNormalise, normaliseBatch } from '../../src/collect/read-records.js';
import { newLineGroups } from '../../src/normalise/line-groups.js';
import { newStats, type LogRecord, type RawLine, type ScanStats } from '../../src/types.js';

export interface BatchResult {
  records: LogRecord[];
  stats: ScanStats;
  /** How many records the sink had after each batch (before the end of input). */
  afterBatch: number[];
}

/** Lines of one origin, numbered from 1. */
export function lines(texts: readonly string[], origin = 'app.log', from = 1): RawLine[] {
  return texts.map((text, i) => ({ text, origin, lineNo: from + i }));
}

export function runBatches(batches: readonly (readonly RawLine[])[], keep: (r: LogRecord) => boolean = () => true): BatchResult {
  const stats = newStats();
  const records: LogRecord[] = [];
  const sink = { keep, onRecord: (r: LogRecord) => records.push(r) };
  const groups = newLineGroups();
  const afterBatch: number[] = [];
  for (const batch of batches) {
    normaliseBatch(batch, {}, stats, sink, groups);
    afterBatch.push(records.length);
  }
  endNormalise(groups, {}, stats, sink);
  return { records, stats, afterBatch };
}

export function runLines(texts: readonly string[]): BatchResult {
  return runBatches([lines(texts)]);
}
