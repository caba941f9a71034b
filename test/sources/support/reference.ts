// The obviously-correct scanner the fast one is compared against: split on \n, `includes`.

export interface RefLine {
  lineNo: number;
  text: string;
}

/** Lines of `input` (a final empty piece after a trailing newline is not a line). */
export function splitLines(input: string): string[] {
  if (input === '') return [];
  const pieces = input.split('\n');
  if (pieces[pieces.length - 1] === '') pieces.pop();
  return pieces;
}

/**
 * The lines holding any needle (all lines when there are none), numbered from 1, each followed by
 * the up to 512 lines after it that are neither blank nor start with `{` (a stack trace, maybe).
 */
export function referenceScan(input: string, needles: readonly string[] | undefined): { lines: RefLine[]; linesRead: number } {
  const all = splitLines(input);
  const active = (needles ?? []).filter((n) => n.length > 0);
  const lines: RefLine[] = [];
  let following = 0;
  all.forEach((text, i) => {
    const follower = following > 0 && text !== '' && !text.startsWith('{') && !text.startsWith('\r');
    following = follower ? following - 1 : 0;
    if (active.length === 0 || follower || active.some((n) => text.includes(n))) {
      lines.push({ lineNo: i + 1, text });
      if (!follower) following = 512;
    }
  });
  return { lines, linesRead: all.length };
}

/** A small deterministic PRNG (mulberry32), so generated inputs are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
