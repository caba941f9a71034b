// Turns the prefilter's needles into what the SIMD kernel checks: the exact byte strings to verify,
// and up to three probe offsets with, per group of needles, the bytes expected there.
//
// Why probes: testing every position for a whole needle is slow; testing a few bytes of it at
// once for 16 positions is one compare each (the memchr crate's "generic SIMD" search, with a third
// byte). Only where all probe bytes agree does the kernel verify the needles byte by byte. Why
// three: ids are hex and JSON logs are full of hex and digits, so with two probes about one 32-byte
// block in two held a candidate on realistic logs (2.3 M per GiB, each a branch miss and a call);
// a third probe costs a load and a compare per 16 bytes and cuts candidates ~10×.

/** One group of needles that are equal ignoring ASCII case (`a3ce…` and `A3CE…`). */
export interface ProbeGroup {
  /** The bytes expected at the probe offsets (`| 0x20` where the load is folded). */
  bytes: number[];
}

export interface NeedlePlan {
  /** The exact needles, UTF-8, none containing another, none containing a newline. */
  needles: Uint8Array[];
  /** Probe offsets, distinct, ascending, below the shortest needle's length (fewer when it is short). */
  offsets: number[];
  /** Whether the load at each offset is case-folded (`| 0x20`) before comparing. */
  fold: boolean[];
  groups: ProbeGroup[];
  /** The longest needle, for the padding the kernel may read past a region's end. */
  maxLength: number;
}

const NEWLINE = 0x0a;

/**
 * The plan for a needle list, or null when there is no filter (no needles, or only empty ones):
 * then every line is handed on. Needles that hold a newline can never match inside a line and are
 * dropped; if that leaves none, the plan matches nothing.
 */
export function planNeedles(needles: readonly string[] | undefined): NeedlePlan | null {
  const given = (needles ?? []).filter((n) => n.length > 0);
  if (given.length === 0) return null;
  const bytes = minimal(given.map((n) => Buffer.from(n, 'utf8')).filter((b) => !b.includes(NEWLINE)));
  const byFolded = new Map<string, Uint8Array[]>();
  for (const b of bytes) {
    const key = Buffer.from(b.map(lowerAscii)).toString('latin1');
    byFolded.set(key, [...(byFolded.get(key) ?? []), b]);
  }
  const members = [...byFolded.values()];
  const minLength = bytes.reduce((m, b) => Math.min(m, b.length), Infinity);
  const offsets = bytes.length === 0 ? [] : bestOffsets(members, minLength);
  // Fold a load only where some group has both cases of a letter at that offset.
  const fold = offsets.map((o) => members.some((g) => g.some((b) => b[o] !== g[0]![o])));
  const groups = members.map((g) => ({ bytes: offsets.map((o, i) => (fold[i] ? g[0]![o]! | 0x20 : g[0]![o]!)) }));
  return { needles: bytes, offsets, fold, groups, maxLength: bytes.reduce((m, b) => Math.max(m, b.length), 0) };
}

/** Drops duplicates and needles that contain another needle: the shorter one already finds the line. */
function minimal(list: Buffer[]): Buffer[] {
  const sorted = [...list].sort((a, b) => a.length - b.length);
  const kept: Buffer[] = [];
  for (const b of sorted) if (!kept.some((k) => b.includes(k))) kept.push(b);
  return kept;
}

export const MAX_PROBES = 3;

/**
 * How many offsets the exhaustive search looks at. The search is over triples, so it is cubic in
 * this; the offsets outside it are the ones with the most common bytes, which a good triple would
 * not use anyway. With one group (the usual id) the best triple is always inside: it is the three
 * rarest offsets. Keeps planning linear in the needle length (a 10 000-character id took minutes
 * when every triple of every offset was tried).
 */
const CANDIDATE_OFFSETS = 16;

/** The offsets whose bytes are least likely to coincide in log text, summed over groups. */
function bestOffsets(groups: Uint8Array[][], minLength: number): number[] {
  const count = Math.min(MAX_PROBES, minLength);
  const table = Array.from({ length: minLength }, (_, o) => groups.map((g) => classFrequency(g, o)));
  const candidates = candidateOffsets(table);
  let best: number[] = [];
  let bestScore = Infinity;
  const visit = (chosen: number[], from: number): void => {
    if (chosen.length === count) {
      let score = 0;
      for (let g = 0; g < groups.length; g++) score += chosen.reduce((p, o) => p * table[o]![g]!, 1);
      // Offset 0 shares its load with the newline count: a small bonus breaks near-ties that way.
      if (chosen[0] === 0) score *= 0.9;
      if (score < bestScore) {
        bestScore = score;
        best = chosen;
      }
      return;
    }
    for (let i = from; i < candidates.length; i++) visit([...chosen, candidates[i]!], i + 1);
  };
  visit([], 0);
  return best;
}

/** Offset 0 and the offsets with the rarest bytes (summed over groups), ascending, at most CANDIDATE_OFFSETS + 1. */
function candidateOffsets(table: number[][]): number[] {
  if (table.length <= CANDIDATE_OFFSETS + 1) return table.map((_, o) => o);
  const total = table.map((row) => row.reduce((a, b) => a + b, 0));
  // Earlier offsets win ties, as the full search's first-found rule did.
  const rarest = table
    .map((_, o) => o)
    .slice(1)
    .sort((a, b) => total[a]! - total[b]! || a - b)
    .slice(0, CANDIDATE_OFFSETS);
  return [0, ...rarest].sort((a, b) => a - b);
}

/** Frequency of the bytes a group can have at an offset (both cases of a letter count). */
function classFrequency(group: Uint8Array[], offset: number): number {
  const seen = new Set(group.map((b) => b[offset]!));
  let f = 0;
  for (const byte of seen) f += frequency(byte);
  return f;
}

function lowerAscii(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/**
 * Rough share of each byte in JSON log lines, in percent: field names and English messages
 * (letters by English frequency), timestamps and ids (digits), JSON punctuation. Only the ranking
 * matters; it steers the probes away from `"`, `e` and `0` towards `q`, `7` or `F`.
 */
const FREQUENCY: Record<string, number> = {
  '"': 8, ':': 3, ',': 3, ' ': 3, '.': 1, _: 1, '-': 0.8, '/': 0.5, '{': 0.4, '}': 0.4,
  0: 3, 1: 2.5, 2: 2, 3: 1.4, 4: 1.3, 5: 1.3, 6: 1.2, 7: 1.1, 8: 1.1, 9: 1.1,
  e: 6, t: 4.5, a: 4, o: 4, i: 3.5, n: 3.5, s: 3.2, r: 3, h: 2, l: 2, d: 2, c: 1.5, u: 1.4, m: 1.2,
  f: 1.1, p: 1, g: 1, w: 0.9, y: 0.9, b: 0.8, v: 0.5, k: 0.4, x: 0.15, j: 0.1, q: 0.05, z: 0.05,
};

function frequency(byte: number): number {
  const ch = String.fromCharCode(byte);
  if (ch in FREQUENCY) return FREQUENCY[ch]!;
  if (byte >= 0x41 && byte <= 0x5a) return 0.2; // upper-case letters
  return 0.1;
}

/** No needles: a kernel built from this only counts newlines (and serves as the read buffer). */
export const EMPTY_PLAN: NeedlePlan = { needles: [], offsets: [], fold: [], groups: [], maxLength: 0 };
