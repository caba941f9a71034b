// Wall-clock nanoseconds: Date.now() anchored once, then the monotonic clock (so span intervals
// are measured with nanosecond resolution, and never run backwards).
const anchorWallNs = BigInt(Date.now()) * 1_000_000n;
const anchorHr = process.hrtime.bigint();

export function nowNs() {
  return anchorWallNs + (process.hrtime.bigint() - anchorHr);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Go's time.RFC3339Nano in UTC ("2006-01-02T15:04:05.999999999Z07:00"): nine fraction digits with
 * trailing zeros removed (and the dot with them when the fraction is zero). Docker's json-file
 * driver (jsonlog: `Created.UTC().Format(time.RFC3339Nano)`) and containerd's CRI logger
 * (`timestampFormat = time.RFC3339Nano`) both write this.
 */
export function rfc3339Nano(ns) {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19); // 2006-01-02T15:04:05
  let frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? '.' + frac : ''}Z`;
}
