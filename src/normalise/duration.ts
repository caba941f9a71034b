// Durations → milliseconds. The unit is decided in this order: the unit in the key
// (`_ms`, `grpc.time_ms`…, given as `keyUnit`), a unit in a string value (Go `1h2m3.5s`, `250ms`,
// `1.5µs`, GCP `"0.012s"`, Rust `"2.93ms"`), the producing library's default (`libraryUnit`), else
// milliseconds (a guess).
import type { DurationUnit } from './fields.js';

export const MS_PER_UNIT: Record<DurationUnit, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 };

/** Go's time.ParseDuration units (µ U+00B5 and μ U+03BC are both legal) plus `m`/`h`. */
const STRING_UNITS = new Map<string, number>([
  ['ns', 1e-6], ['us', 1e-3], ['µs', 1e-3], ['μs', 1e-3], ['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000],
]);

export interface Duration {
  ms: number;
  /** No unit anywhere: assumed ms. */
  guessed: boolean;
}

export function parseDuration(value: unknown, keyUnit: DurationUnit | undefined, libraryUnit: DurationUnit | undefined): Duration | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string') {
    const plain = value === '' ? NaN : Number(value);
    if (Number.isNaN(plain)) {
      const ms = parseDurationString(value);
      return ms === null ? null : { ms, guessed: false };
    }
    n = plain;
  } else return null;
  if (!Number.isFinite(n) || n < 0) return null;
  const unit = keyUnit ?? libraryUnit;
  return { ms: n * MS_PER_UNIT[unit ?? 'ms'], guessed: unit === undefined };
}

/** `1h2m3.5s` → 3723500; null when the string is not a duration. */
export function parseDurationString(s: string): number | null {
  let i = 0;
  let total = 0;
  if (s.charCodeAt(0) === 0x2d) return null;
  if (s.charCodeAt(0) === 0x2b) i++;
  let parts = 0;
  while (i < s.length) {
    const start = i;
    while (i < s.length && isNumberChar(s.charCodeAt(i))) i++;
    if (i === start) return null;
    const n = Number(s.slice(start, i));
    const unitStart = i;
    while (i < s.length && !isNumberChar(s.charCodeAt(i))) i++;
    const factor = STRING_UNITS.get(s.slice(unitStart, i).trim());
    if (factor === undefined || Number.isNaN(n)) return null;
    total += n * factor;
    parts++;
  }
  return parts === 0 ? null : total;
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e;
}
