// How `traces` cuts big plain files into units that threads read in parallel (see range-claims.ts).

import { MAX_UNITS_PER_SEGMENT } from './range-claims.js';

export interface PlannedFile {
  path: string;
  size: number;
  labels?: Record<string, string>;
}

/**
 * Bytes [from, to) of a file: the unit holds the lines that *start* there (scan/file-range.ts),
 * so cuts need not fall on line starts and planning never reads the files.
 */
export interface ReadUnit {
  file: number;
  from: number;
  to: number;
}

export interface ReadPlan {
  files: PlannedFile[];
  /** In input order: files in the order given, each front to back. */
  units: ReadUnit[];
  /** Units per thread's segment, in order (the main thread's first). */
  segments: number[];
}

/**
 * Aim for this many units per thread: enough that a thread that finishes early can take work
 * from a slow one in small steps, few enough that each stays worth a claim.
 */
const UNITS_PER_THREAD = 16;
const MIN_UNIT_BYTES = 1 << 20;
const MAX_UNIT_BYTES = 8 << 20;

/**
 * Cuts files into units of about equal size and the units into one segment per thread.
 * `minUnitBytes` lower than the default cuts small inputs too (tests reach the cut edge cases).
 */
export function planReads(files: readonly PlannedFile[], threads: number, minUnitBytes = MIN_UNIT_BYTES): ReadPlan {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const unitBytes = Math.max(
    minUnitBytes,
    Math.min(MAX_UNIT_BYTES, Math.ceil(total / (threads * UNITS_PER_THREAD))),
    Math.ceil(total / (threads * MAX_UNITS_PER_SEGMENT)),
  );
  const units: ReadUnit[] = [];
  for (const [file, { size }] of files.entries()) {
    const count = Math.max(1, Math.ceil(size / unitBytes));
    for (let k = 0; k < count; k++) units.push({ file, from: Math.floor((k * size) / count), to: Math.floor(((k + 1) * size) / count) });
  }
  // Segments of about equal bytes: segment t ends at the first unit that reaches (t+1)/threads of the input.
  const segments: number[] = [];
  let done = 0;
  let taken = 0;
  for (let t = 0; t < threads; t++) {
    const upTo = (total * (t + 1)) / threads;
    let count = 0;
    while (taken + count < units.length && (t === threads - 1 || done + unitSize(units[taken + count]!) <= upTo + unitBytes / 2)) {
      done += unitSize(units[taken + count]!);
      count++;
    }
    segments.push(count);
    taken += count;
  }
  return { files: [...files], units, segments };
}

function unitSize(u: ReadUnit): number {
  return u.to - u.from;
}
