import { LokiRequestError } from './errors.js';

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_HOUR = 3600n * NS_PER_SECOND;

/** Loki's default `max_query_length` (721h, "30d1h"). */
export const MAX_QUERY_LENGTH_NS = 721n * NS_PER_HOUR;
/** Sub-ranges shorter than this are not worth a request of their own. */
const MIN_PART_NS = 60n * NS_PER_SECOND;

export interface TimeRange {
  /** Inclusive. */
  startNs: bigint;
  /** Exclusive. */
  endNs: bigint;
}

export interface SplitOptions {
  /** The server's longest allowed range. */
  maxLengthNs?: bigint;
  /** Split into at least this many parts (for --parallel), when the window is long enough. */
  parts?: number;
  /**
   * Cut only on multiples of this (Loki's split_queries_by_interval, 30m from the epoch), into
   * no more parts than the intervals the window touches. Loki runs every request as one
   * sub-query per interval anyway; a cut inside an interval only adds a sub-query over the same
   * chunks (measured on a real Loki 2.8: an hour in 2 requests 38 ms, in 4 requests 68 ms).
   */
  alignNs?: bigint;
}

/**
 * Cuts [startNs, endNs) into contiguous, non-overlapping ranges in ascending time: none longer than
 * the server allows, and at least `parts` of them when each would still span a minute. Their union
 * is exactly the input, so fetching them one by one or all at once returns the same lines.
 */
export function splitRange(range: TimeRange, options: SplitOptions = {}): TimeRange[] {
  const length = range.endNs - range.startNs;
  if (length <= 0n) return [];
  const maxLength = options.maxLengthNs ?? MAX_QUERY_LENGTH_NS;
  const align = options.alignNs;
  if (align !== undefined && align > 0n && maxLength >= align && range.startNs >= 0n) return splitAligned(range, align, maxLength, options.parts);
  const byLimit = ceilDiv(length, maxLength);
  const byParallel = BigInt(Math.max(1, Math.floor(options.parts ?? 1)));
  const byMinPart = length / MIN_PART_NS > 0n ? length / MIN_PART_NS : 1n;
  let count = byParallel > byMinPart ? byMinPart : byParallel;
  if (count < byLimit) count = byLimit;

  const ranges: TimeRange[] = [];
  for (let i = 0n; i < count; i++) {
    // Integer cut points spread the remainder, so no range exceeds ceil(length / count).
    const startNs = range.startNs + (length * i) / count;
    const endNs = range.startNs + (length * (i + 1n)) / count;
    if (endNs > startNs) ranges.push({ startNs, endNs });
  }
  return ranges;
}

/** splitRange on a grid: whole intervals grouped evenly, the first and last ones possibly partial. */
function splitAligned(range: TimeRange, align: bigint, maxLength: bigint, parts: number | undefined): TimeRange[] {
  const base = range.startNs - (range.startNs % align);
  const cells = ceilDiv(range.endNs - base, align);
  const byParallel = BigInt(Math.max(1, Math.floor(parts ?? 1)));
  // A part of k whole cells spans up to k × align: keep k within the server's limit.
  const byLimit = ceilDiv(cells, maxLength / align);
  let count = byParallel < cells ? byParallel : cells;
  if (count < byLimit) count = byLimit;
  const edge = (cell: bigint): bigint => (cell === 0n ? range.startNs : cell === cells ? range.endNs : base + cell * align);
  const ranges: TimeRange[] = [];
  for (let i = 0n; i < count; i++) ranges.push({ startNs: edge((cells * i) / count), endNs: edge((cells * (i + 1n)) / count) });
  return ranges;
}

/** `the query time range exceeds the limit (query length: 768h0m0s, limit: 721h0m0s)` → the limit in ns. */
export function serverQueryLengthLimit(err: unknown): bigint | null {
  if (!(err instanceof LokiRequestError) || err.status !== 400) return null;
  const match = /query time range exceeds the limit \(query length: [^,]+, limit: ([0-9hms.µun]+)\)/.exec(err.body);
  return match?.[1] ? parseGoDuration(match[1]) : null;
}

/** Go's time.Duration text (`721h0m0s`, `1h30m`, `500ms`) in ns; null if it is not one. */
export function parseGoDuration(text: string): bigint | null {
  const units: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3, µs: 1e3, ns: 1 };
  const parts = text.match(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g);
  if (!parts || parts.join('') !== text) return null;
  let total = 0n;
  for (const part of parts) {
    const [, num, unit] = /(\d+(?:\.\d+)?)(\D+)/.exec(part)!;
    total += BigInt(Math.round(Number(num) * units[unit!]!));
  }
  return total > 0n ? total : null;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
