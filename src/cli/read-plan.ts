// How `traces` cuts big plain files into units that threads read in parallel (see range-claims.ts).

import { DEFAULT_TUNING } from '../sources/scan/file-scan.js';

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
  /** Bytes per read, as the serial reader reads (it decides where batches of lines end). */
  chunkBytes: number;
}

/** The serial reader's grid (sources/scan/file-scan.ts ScanTuning): tests make it small. */
export interface ReadGrid {
  segmentBytes?: number;
  chunkBytes?: number;
}

/**
 * Cuts files into units on the serial reader's grid (sources/scan/file-scan.ts segments, 8 MiB by
 * default) and the units into one segment of about equal bytes per thread. Reading on the same
 * grid keeps the parallel reader's reads like the serial one's, which makes the two easy to
 * compare in tests; results do not depend on where reads end (normalise/line-groups.ts), only on
 * where threads' stretches meet (clean-start.ts).
 */
export function planReads(files: readonly PlannedFile[], threads: number, grid: ReadGrid = {}): ReadPlan {
  const unitBytes = grid.segmentBytes ?? DEFAULT_TUNING.segmentBytes;
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const units: ReadUnit[] = [];
  for (const [file, { size }] of files.entries()) {
    const count = Math.max(1, Math.ceil(size / unitBytes));
    for (let k = 0; k < count; k++) units.push({ file, from: k * unitBytes, to: Math.min(size, (k + 1) * unitBytes) });
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
  return { files: [...files], units, segments, chunkBytes: grid.chunkBytes ?? DEFAULT_TUNING.chunkBytes };
}

function unitSize(u: ReadUnit): number {
  return u.to - u.from;
}
