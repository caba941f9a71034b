// A span's evidence lines (types.ts LineFact), packed into one array while the fold runs.
// `traces` holds the earliest lines of every span of a file at once: as LineFact objects, each
// with a bigint time of its own, a line took ~100 bytes; as five slots of an array it takes 40.
// The LineFacts are made again, equal field for field, when the span's trace is assembled.
import type { LineFact } from '../types.js';

/**
 * `[base, …lines]`: each line is five slots, `offset, origin, lineNo, text, outcome`, in
 * position order. `outcome` is `answer` for a line that is no error, else its error reason (an
 * error line is nearly always an answer too; the reason of one that is not is in an array). A
 * time is kept as its offset from `base` (the time of the first line the pack was given): a
 * Number while it is exact (within ±2^53 ns, ~104 days, of the base), else the bigint offset
 * itself. Either way the value is exact, and equal offsets have the same type.
 */
export type LinePack = readonly Slot[];
type Slot = bigint | number | string | boolean | readonly [string];

const STRIDE = 5;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Shared by every span until it has a line to keep: most spans have no error lines. */
export const NO_LINES: LinePack = [];

export function lineCount(pack: LinePack): number {
  return pack.length === 0 ? 0 : (pack.length - 1) / STRIDE;
}

function offsetOf(base: bigint, ns: bigint): number | bigint {
  const d = ns - base;
  return d <= SAFE && d >= -SAFE ? Number(d) : d;
}

/** Whether kept line `j` comes strictly after the position (comparePosition > 0). */
function keptAfter(pack: LinePack, j: number, off: number | bigint, origin: string, lineNo: number): boolean {
  const at = 1 + j * STRIDE;
  const keptOff = pack[at] as number | bigint;
  if (keptOff !== off) return keptOff > off;
  return pack[at + 1] === origin && (pack[at + 2] as number) > lineNo;
}

/**
 * Whether `keepLine` would keep a line at this position: there is room, or it comes strictly
 * before the latest kept line. Asked first, so a line that cannot be kept costs nothing more.
 */
export function wouldKeep(pack: LinePack, cap: number, ns: bigint, origin: string, lineNo: number): boolean {
  const n = lineCount(pack);
  if (n < cap) return true;
  const off = offsetOf(pack[0] as bigint, ns);
  const last = 1 + (n - 1) * STRIDE;
  const lastOff = pack[last] as number | bigint;
  if (lastOff !== off) return off < lastOff;
  return pack[last + 1] === origin && lineNo < (pack[last + 2] as number);
}

/**
 * `pack` with the line inserted in position order (after the lines at an equal position), the
 * latest dropped beyond `cap`. A new array of exactly the needed length: pushing would reserve
 * room for many more lines in every span.
 */
export function keepLine(
  pack: LinePack,
  cap: number,
  ns: bigint,
  origin: string,
  lineNo: number,
  text: string,
  answer: boolean,
  errorReason: string | null,
): LinePack {
  const outcome = errorReason === null ? answer : answer ? errorReason : ([errorReason] as const);
  if (pack.length === 0) return cap > 0 ? [ns, 0, origin, lineNo, text, outcome] : pack;
  const base = pack[0] as bigint;
  const off = offsetOf(base, ns);
  const n = lineCount(pack);
  let i = n;
  while (i > 0 && keptAfter(pack, i - 1, off, origin, lineNo)) i--;
  if (i >= cap) return pack;
  const kept = n < cap ? n + 1 : cap;
  const out = new Array<Slot>(1 + kept * STRIDE);
  const split = 1 + i * STRIDE;
  for (let k = 0; k < split; k++) out[k] = pack[k]!;
  out[split] = off;
  out[split + 1] = origin;
  out[split + 2] = lineNo;
  out[split + 3] = text;
  out[split + 4] = outcome;
  for (let k = split; k + STRIDE < out.length; k++) out[k + STRIDE] = pack[k]!;
  return out;
}

/** The time of kept line `j`. */
function timeAt(pack: LinePack, j: number): bigint {
  const off = pack[1 + j * STRIDE] as number | bigint;
  const base = pack[0] as bigint;
  return typeof off === 'bigint' ? base + off : off === 0 ? base : base + BigInt(off);
}

/** `into` with every line of `from` kept as `keepLine` would keep it, in `from`'s order. */
export function mergeLines(into: LinePack, from: LinePack, cap: number): LinePack {
  const n = lineCount(from);
  for (let j = 0; j < n; j++) {
    const at = 1 + j * STRIDE;
    const [answer, reason] = outcomeOf(from[at + 4]!);
    into = keepLine(into, cap, timeAt(from, j), from[at + 1] as string, from[at + 2] as number, from[at + 3] as string, answer, reason);
  }
  return into;
}

/** The kept lines as LineFacts, in position order. */
export function lineFacts(pack: LinePack): LineFact[] {
  const n = lineCount(pack);
  const lines = new Array<LineFact>(n);
  for (let j = 0; j < n; j++) {
    const at = 1 + j * STRIDE;
    const [answer, errorReason] = outcomeOf(pack[at + 4]!);
    lines[j] = {
      timeNs: timeAt(pack, j),
      origin: pack[at + 1] as string,
      lineNo: pack[at + 2] as number,
      text: pack[at + 3] as string,
      answer,
      errorReason,
    };
  }
  return lines;
}

/** A line's `answer` and `errorReason` from its outcome slot. */
function outcomeOf(slot: Slot): [answer: boolean, errorReason: string | null] {
  if (typeof slot === 'boolean') return [slot, null];
  return typeof slot === 'string' ? [true, slot] : [false, (slot as readonly [string])[0]];
}
