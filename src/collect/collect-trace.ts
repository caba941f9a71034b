import type { NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { traceIdNeedles, traceIdsMatch } from '../trace-id.js';
import { newStats, type LogRecord, type ScanStats } from '../types.js';
import { readRecords, type ReadRecordsOptions } from './read-records.js';

export interface CollectedTrace {
  records: LogRecord[];
  stats: ScanStats;
}

export type ReadHooks = Pick<ReadRecordsOptions, 'signal' | 'onProgress'>;

/**
 * Reads a source for one trace: the raw-byte prefilter drops lines that cannot hold the id,
 * the rest are normalised and kept when their trace id matches (case, 64-bit halves and
 * Datadog's decimal form included). Shared by `show`, `check` and `mcp`; the records are then
 * folded by assembleTrace, the same fold `traces` runs over every trace.
 */
export async function collectTrace(source: LogSource, traceId: string, normaliseOptions: NormaliseOptions, hooks: ReadHooks = {}): Promise<CollectedTrace> {
  const stats = newStats();
  const records: LogRecord[] = [];
  await readRecords(source, {
    ...hooks,
    normaliseOptions,
    stats,
    needles: traceIdNeedles(traceId),
    keep: (r) => r.traceId !== null && traceIdsMatch(r.traceId, traceId),
    onRecord: (r) => records.push(r),
  });
  return { records, stats };
}
