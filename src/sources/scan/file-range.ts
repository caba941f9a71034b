import { readSync } from 'node:fs';

const NEWLINE = 0x0a;

/** The memory a range is read into: the scan kernel's, so the bytes are never copied again. */
export interface ReadBuffer {
  readonly bytes: Buffer;
  ensureCapacity(min: number): void;
}

/**
 * Handles bytes[start, end): whole lines (the last without a newline only at the end of the
 * file), numbered from lineBase + 1. Returns how many lines it held.
 */
export type RegionHandler = (start: number, end: number, lineBase: number) => number;

/**
 * Reads the lines of a plain file that *start* in the byte range [from, to) — so ranges that
 * tile a file split it into whole lines, each line in exactly one range — and hands them to
 * `region` chunk by chunk. Returns the number of lines in the range.
 *
 * Reads use readSync straight into `buf` (the kernel's memory), `chunkBytes` at a time: no stream,
 * no copy between reading and scanning. A line longer than a chunk grows the buffer to the line's
 * length: memory follows the longest line, never the file size.
 * `fileEnd` caps the reads, so a file appended to while it is read is cut where it was measured.
 */
export function scanFileRange(
  fd: number,
  buf: ReadBuffer,
  from: number,
  to: number,
  fileEnd: number,
  chunkBytes: number,
  region: RegionHandler,
): number {
  const steps = fileRangeSteps(fd, buf, from, to, fileEnd, chunkBytes, region);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * scanFileRange one chunk at a time: pauses after each chunk's lines went to `region`, so a
 * caller can hand them on before reading more (when nearly every line matches, holding a whole
 * range's lines made the heap grow with them). Returns the range's line count.
 */
export function* fileRangeSteps(
  fd: number,
  buf: ReadBuffer,
  from: number,
  to: number,
  fileEnd: number,
  chunkBytes: number,
  region: RegionHandler,
): Generator<void, number, void> {
  let pos = from === 0 ? 0 : firstLineStart(fd, buf, from, fileEnd, chunkBytes);
  if (pos >= to) return 0;
  let carry = 0;
  let lines = 0;
  for (;;) {
    const want = Math.min(chunkBytes, fileEnd - pos - carry);
    buf.ensureCapacity(carry + Math.max(want, 0));
    const n = want > 0 ? readSync(fd, buf.bytes, carry, want, pos + carry) : 0;
    const filled = carry + n;
    if (n === 0) {
      // End of file: what is left is a final line without a newline.
      return filled > 0 ? lines + region(0, filled, lines) : lines;
    }
    const view = buf.bytes.subarray(0, filled);
    // The range's last line is the one holding byte to-1: it ends at the first newline from there.
    const stopAt = to - 1 - pos;
    if (stopAt < filled) {
      const nl = view.indexOf(NEWLINE, Math.max(stopAt, 0));
      if (nl !== -1) return lines + region(0, nl + 1, lines);
    }
    const last = view.lastIndexOf(NEWLINE);
    if (last === -1) {
      carry = filled; // a line longer than what we have: read on
      continue;
    }
    lines += region(0, last + 1, lines);
    buf.bytes.copyWithin(0, last + 1, filled);
    carry = filled - last - 1;
    pos += last + 1;
    yield;
  }
}

/** The first line start at or after `from` (from > 0): just past the first newline at from-1 or later. */
function firstLineStart(fd: number, buf: ReadBuffer, from: number, fileEnd: number, chunkBytes: number): number {
  // Lines are short next to a chunk: a small first read usually finds the newline.
  let step = Math.min(4096, chunkBytes);
  let pos = from - 1;
  buf.ensureCapacity(chunkBytes);
  while (pos < fileEnd) {
    const n = readSync(fd, buf.bytes, 0, Math.min(step, fileEnd - pos), pos);
    step = chunkBytes;
    if (n === 0) break;
    const nl = buf.bytes.subarray(0, n).indexOf(NEWLINE);
    if (nl !== -1) return pos + nl + 1;
    pos += n;
  }
  return fileEnd;
}
