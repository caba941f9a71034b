// Timestamps → unix nanoseconds as BigInt, never through a float for the digits that matter.
//
// Numbers and digit strings are read by magnitude (present-day dates): < 1e11 seconds (zap `ts`),
// < 1e14 milliseconds (pino), < 1e17 microseconds (Zipkin), else nanoseconds (OTLP).
// Strings are RFC3339 with 0–9 fraction digits, a `T` or a space between date and time, a `.` or a
// `,` before the fraction (Python asctime), and a zone `Z`, `+02:00`, `+0200` (zap ISO8601) or `+02`.
// A string with no zone (Python asctime is local time and says nothing) is taken as UTC: the
// producer's zone is unknowable, and UTC at least keeps lines from one host consistent.

const NS_PER_MS = 1_000_000n;

/** Any timestamp value → unix ns, or null when it is not a usable time. */
export function parseTime(value: unknown): bigint | null {
  const ns = parseAnyTime(value);
  // Beyond what a Date can hold (±8.64e15 ms) a time is noise, and printing it would throw.
  return ns === null || ns > MAX_TIME_NS || ns < -MAX_TIME_NS ? null : ns;
}

const MAX_TIME_NS = 8_640_000_000_000_000_000_000n;

function parseAnyTime(value: unknown): bigint | null {
  switch (typeof value) {
    case 'string':
      return parseTimeString(value);
    case 'number':
      return parseEpochNumber(value);
    case 'bigint':
      return value > 0n ? epochDigits(value.toString(), '') : null;
    case 'object':
      return value === null ? null : parseTimeObject(value as Record<string, unknown>);
    default:
      return null;
  }
}

export function parseTimeString(s: string): bigint | null {
  const c0 = s.charCodeAt(0);
  if (s.length >= 19 && s.charCodeAt(4) === 0x2d /* - */) return parseIsoTime(s);
  if (c0 >= 0x30 && c0 <= 0x39) {
    const dot = s.indexOf('.');
    const int = dot < 0 ? s : s.slice(0, dot);
    const frac = dot < 0 ? '' : s.slice(dot + 1);
    if (!allDigits(int) || (frac !== '' && !allDigits(frac))) return null;
    return epochDigits(int, frac);
  }
  return null;
}

const SCALE = [1n, 10n, 100n, 1000n, 10_000n, 100_000n, 1_000_000n, 10_000_000n, 100_000_000n, 1_000_000_000n];

function parseEpochNumber(n: number): bigint | null {
  if (!(n > 0) || !Number.isFinite(n)) return null;
  if (Number.isSafeInteger(n)) {
    return n < 1e11 ? BigInt(n) * 1_000_000_000n : n < 1e14 ? BigInt(n) * 1_000_000n : n < 1e17 ? BigInt(n) * 1000n : BigInt(n);
  }
  // The shortest round-trip decimal is the text the producer wrote (1717243200.123456), so its
  // digits are exact where `n * 1e9` would not be.
  const text = String(n);
  if (text.includes('e')) return epochDigits(BigInt(Math.round(n)).toString(), '');
  const dot = text.indexOf('.');
  // Fractional seconds (zap `ts`), every other line of some logs: the same digits as
  // epochDigits reads, without substrings or parsing BigInts from text. The integer part of the
  // shortest round-trip text is trunc(n) (an integer between the two would be closer to n).
  if (n < 1e11 && dot > 0) return secondsNs(Math.trunc(n)) + BigInt(fractionNs(text, dot + 1));
  return dot < 0 ? epochDigits(text, '') : epochDigits(text.slice(0, dot), text.slice(dot + 1));
}

// Consecutive lines mostly fall in the same second: its BigInt is built once.
let lastSeconds = -1;
let lastSecondsNs = 0n;

function secondsNs(seconds: number): bigint {
  if (seconds !== lastSeconds) {
    lastSeconds = seconds;
    lastSecondsNs = BigInt(seconds) * 1_000_000_000n;
  }
  return lastSecondsNs;
}

/** Up to 9 fraction digits from `at` as nanoseconds (missing digits are zeros, extra ones cut). */
function fractionNs(text: string, at: number): number {
  let ns = 0;
  let i = at;
  for (; i < text.length && i < at + 9; i++) ns = ns * 10 + (text.charCodeAt(i) - 0x30);
  for (; i < at + 9; i++) ns *= 10;
  return ns;
}

/** Integer and fraction digits of an epoch value of unknown unit → ns. */
function epochDigits(int: string, frac: string): bigint | null {
  let start = 0;
  while (start < int.length && int.charCodeAt(start) === 0x30) start++;
  const len = int.length - start;
  if (len === 0 && frac === '') return null;
  // < 1e11 s, < 1e14 ms, < 1e17 µs, else ns: digits of the integer part decide.
  const scaleDigits = len <= 11 ? 9 : len <= 14 ? 6 : len <= 17 ? 3 : 0;
  let ns = BigInt(int) * SCALE[scaleDigits]!;
  if (scaleDigits > 0 && frac !== '') ns += BigInt(frac.length >= scaleDigits ? frac.slice(0, scaleDigits) : frac.padEnd(scaleDigits, '0'));
  return ns > 0n ? ns : null;
}

/** log4j `instant {epochSecond, nanoOfSecond}`, GCP `{seconds, nanos}`. */
function parseTimeObject(o: Record<string, unknown>): bigint | null {
  const seconds = o.epochSecond ?? o.seconds;
  if (seconds === undefined) return null;
  return secondsAndNanos(seconds, o.nanoOfSecond ?? o.nanos);
}

/** GCP `timestampSeconds` + `timestampNanos`, and the object forms. */
export function secondsAndNanos(seconds: unknown, nanos: unknown): bigint | null {
  const s = toBigInt(seconds);
  if (s === null || s <= 0n) return null;
  const n = toBigInt(nanos) ?? 0n;
  return s * 1_000_000_000n + n;
}

function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && v !== '' && allDigits(v)) return BigInt(v);
  return null;
}

/** RFC3339 / ISO8601 and their near relatives (see the top of the file). */
export function parseIsoTime(s: string): bigint | null {
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(7) !== 0x2d || (sep !== 0x54 && sep !== 0x20 && sep !== 0x74)) return null;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return null;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 24 || minute < 0 || second < 0) {
    return null;
  }
  let i = 19;
  let fracNs = 0;
  const fracMark = s.charCodeAt(i);
  if (fracMark === 0x2e || fracMark === 0x2c) {
    i++;
    let scale = 100_000_000;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      fracNs += (c - 0x30) * scale;
      scale /= 10;
      i++;
    }
    fracNs = Math.floor(fracNs); // digits beyond the 9th leave sub-ns crumbs
  }
  let offsetMin = 0;
  if (i < s.length) {
    const z = s.charCodeAt(i);
    if (z === 0x5a || z === 0x7a) i++;
    else if (z === 0x2b || z === 0x2d) {
      const oh = digits(s, i + 1, 2);
      if (oh < 0) return null;
      let j = i + 3;
      if (s.charCodeAt(j) === 0x3a) j++;
      let om = digits(s, j, 2);
      if (om < 0) om = 0;
      else j += 2;
      offsetMin = (oh * 60 + om) * (z === 0x2d ? -1 : 1);
      i = j;
    } else if (z !== 0x20) return null;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMin * 60_000;
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * NS_PER_MS + BigInt(fracNs);
}

/** `count` ASCII digits at `at` as a number, or -1. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i); // NaN past the end fails the test too
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
