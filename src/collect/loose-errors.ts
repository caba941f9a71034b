// Errors a service printed without naming a request (a Go panic that net/http wrote,
// normalise/go-panic-line.ts) belong to the request that was running in that service at that
// moment, when exactly one was. `show` reads one trace's lines only, so to know what else was
// running it reads a local source again, whole, as `traces` does (up to LOOSE_RESCAN_MAX_BYTES).
import { placeLoose } from '../assemble/running-spans.js';
import { TraceFold, type TraceFacts } from '../assemble/trace-facts.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { FileSource } from '../sources/files.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type LogRecord, type ScanStats, type UnattachedError } from '../types.js';
import type { ReadHooks } from './collect-trace.js';
import { readRecords } from './read-records.js';

/** Reading the whole source again costs about a second at this size; beyond, the error stays unattached. */
export const LOOSE_RESCAN_MAX_BYTES = 32 * 1024 * 1024;
const SECOND_NS = 1_000_000_000n;

export interface PlacedErrors {
  /** The trace's records, with each loose error that belongs to one of its spans added (given its ids). */
  records: LogRecord[];
  unattached: UnattachedError[];
}

/** Places `loose` (read alongside the trace's records) in the trace, on a span or unattached. */
export async function placeLooseErrors(
  source: LogSource,
  traceId: string,
  records: LogRecord[],
  loose: readonly LogRecord[],
  stats: ScanStats,
  normaliseOptions: NormaliseOptions,
  hooks: ReadHooks = {},
): Promise<PlacedErrors> {
  // Read past the other traces' lines, a loose error's time is only known to its second here.
  const inWindow = loose.filter((e) => e.service !== null && e.timeNs !== null && inTraceWindow(records, e.service, e.timeNs, SECOND_NS));
  if (inWindow.length === 0) return { records, unattached: [] };
  if (!(source instanceof FileSource) || stats.bytesRead > LOOSE_RESCAN_MAX_BYTES || hooks.signal?.aborted) {
    const why = source instanceof FileSource ? 'the logs are over 32 MiB, too large to read again for which request was running' : 'which request was running cannot be told from one pass over piped input';
    return { records, unattached: inWindow.map((record) => ({ record, reason: why })) };
  }
  const { traces, exact } = await readAll(source, normaliseOptions, hooks);
  const places = placeLoose(traces, [...exact.values()]);
  const placed = [...records];
  const unattached: UnattachedError[] = [];
  for (const seen of inWindow) {
    // The whole read saw the line's neighbours, so its time is the better one.
    const e = exact.get(`${seen.origin}\n${seen.lineNo}`) ?? seen;
    if (!inTraceWindow(records, e.service!, e.timeNs!, 0n)) continue;
    const place = places.get(e) ?? { running: 0 };
    if ('span' in place) {
      // The one running request is this trace's, or another's (then the error is that trace's).
      if (place.span.traceId === traceId) placed.push({ ...e, traceId, spanId: place.span.spanId });
      continue;
    }
    const n = place.running;
    unattached.push({ record: e, reason: n === 0 ? `no request of ${e.service} was running then` : `${n} requests of ${e.service} were running then` });
  }
  return { records: placed, unattached };
}

/** The trace has lines of `service`, and `timeNs` falls between its first and last line (± slack). */
function inTraceWindow(records: readonly LogRecord[], service: string, timeNs: bigint, slack: bigint): boolean {
  let first: bigint | null = null;
  let last: bigint | null = null;
  let hasService = false;
  for (const r of records) {
    if (r.service === service) hasService = true;
    if (r.timeNs === null) continue;
    if (first === null || r.timeNs < first) first = r.timeNs;
    if (last === null || r.timeNs > last) last = r.timeNs;
  }
  return hasService && first !== null && last !== null && timeNs >= first - slack && timeNs <= last + slack;
}

async function readAll(source: LogSource, normaliseOptions: NormaliseOptions, hooks: ReadHooks): Promise<{ traces: TraceFacts[]; exact: Map<string, LogRecord> }> {
  const fold = new TraceFold();
  const exact = new Map<string, LogRecord>();
  await readRecords(source, {
    signal: hooks.signal,
    normaliseOptions: { ...normaliseOptions, attributes: false },
    stats: newStats(),
    keep: (r) => {
      if (r.looseError) exact.set(`${r.origin}\n${r.lineNo}`, r);
      return r.traceId !== null;
    },
    onRecord: (r) => fold.add(r),
  });
  return { traces: fold.finish(), exact };
}
