import type { LokiClient } from './client.js';
import { LokiRequestError } from './errors.js';
import type { Direction, LokiEntry } from './response.js';

/** Loki's default `max_entries_limit_per_query`. */
export const MAX_PAGE_LIMIT = 5000;

export interface PageRangeOptions {
  query: string;
  /** Inclusive. */
  startNs: bigint;
  /** Exclusive. */
  endNs: bigint;
  /** Entries per request; lowered automatically if the server allows fewer. */
  limit?: number;
  direction?: Direction;
  signal?: AbortSignal;
  /** Told when lines could not be fetched (more entries on one timestamp than a page holds). */
  onWarning?: (message: string) => void;
  /** Called after each request with the entries it brought and how much of the range is now done. */
  onPage?: (entries: number, bytes: number, doneNs: bigint, pieceDone: boolean) => void;
  /** Paces requests and sizes them (a shared RangePacer); without one, each request asks for the rest of the range. */
  pacer?: RangePacerLike;
}

/** What pageRange needs of a RangePacer. */
export interface RangePacerLike {
  spanNs(): bigint;
  run<T>(request: () => Promise<T>): Promise<T>;
  /** Resolves when the request should be asked again; rethrows otherwise. */
  backOff(err: unknown, signal?: AbortSignal): Promise<void>;
}

/**
 * Every entry of [startNs, endNs), page by page, in the query's direction and time order.
 *
 * Loki does not say when it cut a page at `limit`, so a full page means "maybe more", and the cut
 * may fall inside a group of entries sharing one timestamp. So the last timestamp's group of a full
 * page is held back, and the next request starts at that timestamp (start is inclusive; backward,
 * the end moves to just past it) and brings the whole group again. Output thus never depends on where
 * pages were cut, which keeps parallel and serial fetches identical.
 *
 * As a safety net against servers that round the boundary, entries at the last delivered timestamp
 * are also deduped on (labels, timestamp, line). Keying on labels matters: two streams can log the
 * same line at the same nanosecond, and logcli's (timestamp, line) key drops one of them
 * (grafana/loki#17270). Only that one timestamp's keys are kept, so memory stays at one page.
 */
export async function* pageRange(client: LokiClient, options: PageRangeOptions): AsyncGenerator<LokiEntry[]> {
  const direction = options.direction ?? 'forward';
  let limit = Math.min(options.limit ?? MAX_PAGE_LIMIT, MAX_PAGE_LIMIT);
  let start = options.startNs;
  let end = options.endNs;
  let lastTs: bigint | null = null;
  let lastKeys = new Set<string>();

  const deliver = (entries: LokiEntry[]): LokiEntry[] => {
    const fresh = lastTs === null ? entries : entries.filter((e) => e.timeNs !== lastTs || !lastKeys.has(entryKey(e)));
    if (fresh.length === 0) return fresh;
    const newest = fresh[fresh.length - 1]!.timeNs;
    if (newest !== lastTs) {
      lastTs = newest;
      lastKeys = new Set();
    }
    for (let i = fresh.length - 1; i >= 0 && fresh[i]!.timeNs === newest; i--) lastKeys.add(entryKey(fresh[i]!));
    return fresh;
  };

  const pacer = options.pacer;
  const total = end - start;
  while (start < end) {
    // With a pacer, one request asks for at most its span; a short page then finishes only that piece.
    const span = pacer?.spanNs();
    const reqStart = span !== undefined && direction === 'backward' && end - span > start ? end - span : start;
    const reqEnd = span !== undefined && direction === 'forward' && start + span < end ? start + span : end;
    let entries: LokiEntry[];
    let bytes: number;
    try {
      const ask = () => client.queryRange({ query: options.query, startNs: reqStart, endNs: reqEnd, limit, direction }, options.signal);
      ({ entries, bytes } = await (pacer ? pacer.run(ask) : ask()));
    } catch (err) {
      const serverMax = serverEntriesLimit(err);
      if (serverMax !== null && serverMax < limit) {
        limit = serverMax;
        continue;
      }
      if (pacer && !options.signal?.aborted) {
        await pacer.backOff(err, options.signal);
        continue;
      }
      throw err;
    }

    if (entries.length < limit) {
      const fresh = deliver(entries);
      if (direction === 'forward') start = reqEnd;
      else end = reqStart;
      options.onPage?.(entries.length, bytes, total - (end - start), true);
      if (fresh.length > 0) yield fresh;
      continue;
    }
    const boundary = entries[entries.length - 1]!.timeNs;
    let cut = entries.length;
    while (cut > 0 && entries[cut - 1]!.timeNs === boundary) cut--;
    if (cut === 0) {
      // A whole page on one nanosecond: the window cannot move inside it, so take what came and step past.
      options.onWarning?.(`more than ${limit} lines share the timestamp ${boundary} in Loki; some of them may be missing`);
      const fresh = deliver(entries);
      if (direction === 'forward') start = boundary + 1n;
      else end = boundary;
      options.onPage?.(entries.length, bytes, total - (end - start), false);
      if (fresh.length > 0) yield fresh;
      continue;
    }
    const fresh = deliver(entries.slice(0, cut));
    if (direction === 'forward') start = boundary;
    else end = boundary + 1n;
    options.onPage?.(entries.length, bytes, total - (end - start), false);
    if (fresh.length > 0) yield fresh;
  }
}

function entryKey(entry: LokiEntry): string {
  return `${entry.labelsKey}\u0000${entry.line}`;
}

/** `max entries limit per query exceeded, limit > max_entries_limit (5000 > 1000)` → 1000. */
function serverEntriesLimit(err: unknown): number | null {
  if (!(err instanceof LokiRequestError) || err.status !== 400) return null;
  const match = /max entries limit per query exceeded.*\(\d+ > (\d+)\)/.exec(err.body);
  const max = match ? Number(match[1]) : NaN;
  return Number.isInteger(max) && max > 0 ? max : null;
}
