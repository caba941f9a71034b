import type { NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { widerTraceIds } from '../trace-id.js';
import { newStats, type LogRecord, type ScanStats } from '../types.js';
import { readRecords } from './read-records.js';

export interface CollectedTraces {
  /** Records by trace id, in the order traces were first seen (64-bit ids folded into their 128-bit form). */
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
  return { traces: foldNarrowIds(traces), stats };
}

/** A trace logged under its 64-bit id by some services joins the group of its 128-bit id. */
function foldNarrowIds(traces: Map<string, LogRecord[]>): Map<string, LogRecord[]> {
  const wider = widerTraceIds(traces.keys());
  if (wider.size === 0) return traces;
  const folded = new Map<string, LogRecord[]>();
  for (const [id, records] of traces) {
    const into = wider.get(id) ?? id;
    const list = folded.get(into);
    if (list) list.push(...records);
    else folded.set(into, wider.has(id) ? [...records] : records);
  }
  return folded;
}
