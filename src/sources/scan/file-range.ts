import { readSync } from 'node:fs';
import { maxLineBytes } from './line-limit.js';

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
 * length, up to `maxLine` (line-limit.ts): a longer one is read past to its newline without being
 * kept, counted in the returned lines but never given to `region`, and `onLongLine` is told.
 * Memory thus follows the limit, never the file size.
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
  onLongLine?: () => void,
  maxLine = maxLineBytes(),
): number {
  const steps = fileRangeSteps(fd, buf, from, to, fileEnd, chunkBytes, region, onLongLine, maxLine);
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
  onLongLine?: () => void,
  maxLine = maxLineBytes(),
): Generator<void, number, void> {
  let pos = from === 0 ? 0 : firstLineStart(fd, buf, from, Math.min(to, fileEnd), chunkBytes);
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
    // Only the line at the buffer's start can be over the limit: a read (≤ 1 MiB) holds no other.
    const firstNl = view.indexOf(NEWLINE, carry);
    if ((firstNl === -1 ? filled : firstNl) > maxLine) {
      const nl = firstNl === -1 ? nextNewline(fd, buf, pos + filled, fileEnd, chunkBytes) : pos + firstNl;
      lines++;
      onLongLine?.();
      // The range ends with this line when it holds byte to-1 (or the file ends inside it).
      if (nl >= to - 1 || nl >= fileEnd - 1) return lines;
      pos = nl + 1;
      carry = 0;
      yield;
      continue;
    }
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

/** File offset of the first newline at or after `from`, or fileEnd: reads without keeping anything. */
function nextNewline(fd: number, buf: ReadBuffer, from: number, fileEnd: number, chunkBytes: number): number {
  for (let pos = from; pos < fileEnd; ) {
    const n = readSync(fd, buf.bytes, 0, Math.min(chunkBytes, fileEnd - pos), pos);
    if (n === 0) break;
    const nl = buf.bytes.subarray(0, n).indexOf(NEWLINE);
    if (nl !== -1) return pos + nl;
    pos += n;
  }
  return fileEnd;
}

/**
 * The first line start in [from, to) (from > 0): just past the first newline in [from-1, to-1), or
 * `to` when no line starts in the range. The search stops at `to`: inside one long line every
 * range would otherwise read on to its end (quadratic in the line's length).
 */
function firstLineStart(fd: number, buf: ReadBuffer, from: number, to: number, chunkBytes: number): number {
  // Lines are short next to a chunk: a small first read usually finds the newline.
  let step = Math.min(4096, chunkBytes);
  let pos = from - 1;
  const last = to - 1;
  buf.ensureCapacity(chunkBytes);
  while (pos < last) {
    const n = readSync(fd, buf.bytes, 0, Math.min(step, last - pos), pos);
    step = chunkBytes;
    if (n === 0) break;
    const nl = buf.bytes.subarray(0, n).indexOf(NEWLINE);
    if (nl !== -1) return pos + nl + 1;
    pos += n;
  }
  return to;
}
