import { UsageError } from '../errors.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { FileSource } from '../sources/files.js';
import type { LogSource } from '../sources/source.js';
import { canonicalTraceId, traceIdMatcher, traceIdNeedles } from '../trace-id.js';
import { ambiguousPrefixMessage, nearestTraceIds, prefixNeedles, PrefixCandidates, traceIdPrefix } from '../trace-prefix.js';
import { newStats, type LogRecord, type ScanStats, type UnattachedError } from '../types.js';
import { placeLooseErrors } from './loose-errors.js';
import { readRecords, type ReadRecordsOptions } from './read-records.js';
import { GO_PANIC_NEEDLE } from '../normalise/go-panic-line.js';

export interface CollectedTrace {
  /** The trace's id: the typed one in canonical form, or the whole id a typed prefix stands for. */
  traceId: string;
  records: LogRecord[];
  stats: ScanStats;
  /** When nothing was found: the ids seen that are closest to the typed one (may be empty). */
  nearest: string[];
  /** Errors its services printed in its window that no one request can be given (loose-errors.ts). */
  unattached: UnattachedError[];
}

export type ReadHooks = Pick<ReadRecordsOptions, 'signal' | 'onProgress'>;

/**
 * Looking for ids near a typo reads the source a second time, parsing every line: done only for
 * local files up to this size (about a second), never for stdin (read once) or Loki.
 */
const NEAREST_SCAN_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Reads a source for one trace: the raw-byte prefilter drops lines that cannot hold the id,
 * the rest are normalised and kept when their trace id matches (case, 64-bit halves and
 * Datadog's decimal form included). Shared by `show`, `check` and `mcp`; the records are then
 * folded by assembleTrace, the same fold `traces` runs over every trace.
 *
 * A typed id of 8–31 hex is also a prefix (trace-prefix.ts): an exact match wins, else the one
 * trace whose id starts with it; several are a usage error that lists them.
 */
export async function collectTrace(source: LogSource, typedId: string, normaliseOptions: NormaliseOptions, hooks: ReadHooks = {}): Promise<CollectedTrace> {
  return (await collectTraces(source, [typedId], normaliseOptions, hooks))[0]!;
}

/**
 * Several traces in one read, each found as collectTrace finds one (`diff` reads two, and
 * standard input can be read only once). The result has one entry per typed id, in order; the
 * stats are those of the one read.
 */
export async function collectTraces(
  source: LogSource,
  typedIds: readonly string[],
  normaliseOptions: NormaliseOptions,
  hooks: ReadHooks = {},
): Promise<CollectedTrace[]> {
  const stats = newStats();
  const wanted = typedIds.map((typedId) => {
    const prefix = traceIdPrefix(typedId);
    return { typedId, prefix, matches: traceIdMatcher(typedId), records: [] as LogRecord[], candidates: prefix === null ? null : new PrefixCandidates<LogRecord>(prefix) };
  });
  const needles = new Set(wanted.flatMap((w) => (w.prefix === null ? traceIdNeedles(w.typedId) : [...traceIdNeedles(w.typedId), ...prefixNeedles(w.prefix)])));
  // Panics that net/http printed name no trace: let them through, to be placed by time.
  if (needles.size > 0) needles.add(GO_PANIC_NEEDLE);
  const loose: LogRecord[] = [];
  await readRecords(source, {
    ...hooks,
    normaliseOptions,
    stats,
    needles: [...needles],
    keep: (r) => {
      if (r.looseError) loose.push(r);
      if (r.traceId === null) return false;
      let kept = false;
      for (const w of wanted) if (w.matches(r.traceId) || (w.candidates?.offer(r.traceId, r) ?? false)) kept = true;
      return kept;
    },
    onRecord: (r) => {
      for (const w of wanted) if (r.traceId !== null && w.matches(r.traceId)) w.records.push(r);
    },
  });
  const found: CollectedTrace[] = [];
  for (const { typedId, records, candidates } of wanted) {
    let traceId = canonicalTraceId(typedId) || typedId.trim();
    let mine = records;
    const outcome = records.length > 0 || candidates === null ? null : candidates.outcome();
    if (outcome?.kind === 'several') throw new UsageError(ambiguousPrefixMessage(typedId.trim(), outcome));
    if (outcome?.kind === 'one') [traceId, mine] = [outcome.traceId, candidates!.records()];
    if (mine.length === 0) {
      found.push({ traceId, records, stats, nearest: await nearestIfCheap(source, typedId, records, stats, normaliseOptions, hooks), unattached: [] });
      continue;
    }
    const placed = loose.length === 0 ? { records: mine, unattached: [] } : await placeLooseErrors(source, traceId, mine, loose, stats, normaliseOptions, hooks);
    found.push({ traceId, records: placed.records, stats, nearest: [], unattached: placed.unattached });
  }
  return found;
}

async function nearestIfCheap(
  source: LogSource,
  typedId: string,
  found: readonly LogRecord[],
  stats: ScanStats,
  normaliseOptions: NormaliseOptions,
  hooks: ReadHooks,
): Promise<string[]> {
  if (found.length > 0 || !(source instanceof FileSource) || stats.bytesRead > NEAREST_SCAN_MAX_BYTES || hooks.signal?.aborted) return [];
  const seen = new Set<string>();
  await readRecords(source, {
    signal: hooks.signal,
    normaliseOptions,
    stats: newStats(),
    keep: (r) => {
      if (r.traceId !== null) seen.add(r.traceId);
      return false;
    },
    onRecord: () => {},
  });
  return nearestTraceIds(typedId, seen);
}

/** The not-found message's tail naming the nearest ids, or '' when there are none. */
export function nearestHint(nearest: readonly string[]): string {
  return nearest.length === 0 ? '' : `; did you mean ${nearest.join(' or ')}?`;
}
