import parseDuration from 'parse-duration';
import { UsageError } from '../errors.js';

const NS_PER_MS = 1_000_000n;
const HOUR_NS = 3_600_000_000_000n;
/** The default window: the last hour, or an hour centred on the time the trace id carries. */
const DEFAULT_SPAN_NS = HOUR_NS;

export interface WindowFlags {
  since?: string;
  from?: string;
  to?: string;
}

export interface TimeWindow {
  /** Inclusive, unix ns. */
  fromNs: bigint;
  /** Exclusive, unix ns. */
  toNs: bigint;
  /** How it was chosen, for messages: `the last 1h`, `1h around the time in the trace id`, `--from/--to`. */
  how: string;
  /** True when no flag chose it (so widening advice should mention the flags). */
  isDefault: boolean;
}

/**
 * The time range to search. `--since 1h` (also 30m, 1d) ends now; `--from`/`--to` take RFC3339,
 * `now`, `now-2h`, a bare `2h` (meaning 2h ago) or a unix time in s/ms/ns. Without flags: the last
 * hour, or — when the trace id carries its own time — an hour centred on that time.
 */
export function resolveTimeWindow(flags: WindowFlags, nowNs: bigint, hintNs: bigint | null = null): TimeWindow {
  if (flags.since !== undefined && flags.from !== undefined) {
    throw new UsageError('give either --since or --from, not both');
  }
  if (flags.since !== undefined) {
    const toNs = flags.to !== undefined ? parseTimeFlag(flags.to, nowNs, '--to') : nowNs;
    const span = parseSpan(flags.since, '--since');
    return { fromNs: toNs - span, toNs, how: flags.to !== undefined ? `${flags.since} up to --to` : `the last ${flags.since}`, isDefault: false };
  }
  if (flags.from !== undefined || flags.to !== undefined) {
    const toNs = flags.to !== undefined ? parseTimeFlag(flags.to, nowNs, '--to') : nowNs;
    const fromNs = flags.from !== undefined ? parseTimeFlag(flags.from, nowNs, '--from') : toNs - DEFAULT_SPAN_NS;
    if (fromNs >= toNs) throw new UsageError(`--from must be before --to (got ${formatNs(fromNs)} … ${formatNs(toNs)})`);
    return { fromNs, toNs, how: '--from/--to', isDefault: false };
  }
  if (hintNs !== null) {
    return { fromNs: hintNs - DEFAULT_SPAN_NS / 2n, toNs: hintNs + DEFAULT_SPAN_NS / 2n, how: '1h around the time in the trace id', isDefault: true };
  }
  return { fromNs: nowNs - DEFAULT_SPAN_NS, toNs: nowNs, how: 'the last 1h', isDefault: true };
}

/** `between 2026-11-25T20:00:00Z and 2026-11-25T21:00:00Z (the last 1h)`. */
export function describeWindow(window: TimeWindow): string {
  return `between ${formatNs(window.fromNs)} and ${formatNs(window.toNs)} (${window.how})`;
}

/**
 * The not-found message for a windowed source: which window was searched and how to widen it.
 * `where` is the source's description, e.g. `Loki at http://…`.
 */
export function notFoundInWindowMessage(traceId: string, where: string, window: TimeWindow): string {
  const span = window.toNs - window.fromNs;
  const wider = span < 24n * HOUR_NS ? '24h' : span < 7n * 24n * HOUR_NS ? '7d' : '30d';
  return `trace ${traceId} not found in ${where} ${describeWindow(window)}; widen the window with --since ${wider} or --from/--to`;
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * NS_PER_MS;
}

/** RFC3339 with up to 9 fractional digits, `now`, `now-2h`/`now+5m`, `2h` (ago), or unix s/ms/ns. */
export function parseTimeFlag(value: string, nowNs: bigint, flag: string): bigint {
  const text = value.trim();
  if (text === 'now') return nowNs;
  const relative = /^now\s*([+-])\s*(.+)$/.exec(text);
  if (relative) {
    const span = parseSpan(relative[2]!, flag);
    return relative[1] === '-' ? nowNs - span : nowNs + span;
  }
  if (/^\d+$/.test(text)) {
    // Unix time by magnitude: seconds (≤10 digits), milliseconds (≤13), else nanoseconds.
    if (text.length <= 10) return BigInt(text) * 1_000_000_000n;
    if (text.length <= 13) return BigInt(text) * NS_PER_MS;
    return BigInt(text);
  }
  const rfc = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (rfc) {
    const zone = rfc[4] ? rfc[4].toUpperCase() : 'Z';
    const ms = Date.parse(`${rfc[1]}T${rfc[2]}${zone}`);
    if (!Number.isNaN(ms)) return BigInt(ms) * NS_PER_MS + BigInt(((rfc[3] ?? '') + '000000000').slice(0, 9));
  }
  if (/^\d/.test(text) && durationNs(text) !== null) return nowNs - durationNs(text)!;
  throw new UsageError(`${flag} takes an RFC3339 time (2026-11-25T21:00:00Z), now-2h, 2h (ago) or a unix time, not '${value}'`);
}

function parseSpan(value: string, flag: string): bigint {
  const ns = durationNs(value.trim());
  if (ns === null || ns <= 0n) throw new UsageError(`${flag} takes a duration like 30m, 1h or 2d, not '${value}'`);
  return ns;
}

function durationNs(text: string): bigint | null {
  if (!/^(\d+(\.\d+)?\s*[a-zµ]+\s*)+$/i.test(text)) return null;
  const ms = parseDuration(text);
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : BigInt(Math.round(ms * 1e6));
}

/** RFC3339 in UTC, fractional seconds only when there are some. */
export function formatNs(ns: bigint): string {
  const ms = Number(ns / NS_PER_MS);
  const iso = new Date(ms).toISOString();
  const sub = ns % 1_000_000_000n;
  return sub === 0n ? iso.replace(/\.\d{3}Z$/, 'Z') : iso.replace(/\.\d{3}Z$/, `.${sub.toString().padStart(9, '0').replace(/0+$/, '')}Z`);
}
