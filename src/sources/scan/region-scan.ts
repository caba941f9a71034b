import type { ScanKernel } from './kernel.js';

const NEWLINE = 0x0a;

/** Receives a line that holds a needle: its bytes are kernel.bytes[start, end), newline excluded. */
export type HitSink = (start: number, end: number, lineNo: number) => void;

/**
 * Finds the lines holding a needle in kernel memory [start, end), which must hold whole lines:
 * `start` is a line start, and `end` follows a newline unless the input ends there. Each such line
 * goes to `hit` once, however many needles it holds, numbered `lineBase + 1 + newlines before it`.
 * Lines without a needle are counted by the kernel and never touched here.
 * Returns the lines in the region, a final line without a newline included.
 */
export function matchLines(kernel: ScanKernel, start: number, end: number, lineBase: number, hit: HitSink): number {
  const newlines = scanRegion(kernel, start, end, lineBase, hit);
  return end > start && kernel.bytes[end - 1] !== NEWLINE ? newlines + 1 : newlines;
}

/** Like matchLines, but returns the newlines only: the final line without one is not counted. */
export function scanRegion(kernel: ScanKernel, start: number, end: number, lineBase: number, hit: HitSink): number {
  let p = start;
  let lines = 0;
  while (p < end) {
    const q = kernel.find(p, end);
    lines += kernel.newlines;
    if (q < 0) break;
    const bytes = kernel.bytes;
    const lineStart = kernel.newlines === 0 ? p : bytes.lastIndexOf(NEWLINE, q) + 1;
    let lineEnd = bytes.indexOf(NEWLINE, q);
    if (lineEnd < 0 || lineEnd >= end) lineEnd = end;
    hit(lineStart, lineEnd, lineBase + lines + 1);
    if (lineEnd >= end) break;
    // Skip the rest of the line: further needles in it would find the same line again.
    lines++;
    p = lineEnd + 1;
  }
  return lines;
}

/** Receives one line's text and its number. */
export type LineSink = (text: string, lineNo: number) => void;

/**
 * A RegionHandler (file-range.ts) that decodes lines for `emit`: only the lines holding a needle
 * when `plan` is set, every line otherwise.
 */
export function lineRegions(kernel: ScanKernel, matchAll: boolean, emit: LineSink): (start: number, end: number, lineBase: number) => number {
  if (!matchAll) {
    return (start, end, lineBase) =>
      matchLines(kernel, start, end, lineBase, (s, e, lineNo) => emit(kernel.bytes.toString('utf8', s, e), lineNo));
  }
  // One decode and one split per region: far cheaper than a decode per line.
  return (start, end, lineBase) => {
    if (end <= start) return 0;
    const bytes = kernel.bytes;
    const texts = bytes.toString('utf8', start, bytes[end - 1] === NEWLINE ? end - 1 : end).split('\n');
    for (let i = 0; i < texts.length; i++) emit(texts[i]!, lineBase + i + 1);
    return texts.length;
  };
}
