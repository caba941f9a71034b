import type { NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type LogRecord, type ScanStats } from '../types.js';
import { readRecords } from './read-records.js';

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
  await readRecords(source, {
    normaliseOptions,
    stats,
    signal,
    keep: (r) => Boolean(r.traceId),
    onRecord: (r) => {
      let list = traces.get(r.traceId!);
      if (!list) traces.set(r.traceId!, (list = []));
      list.push(r);
    },
  });
  return { traces, stats };
}
