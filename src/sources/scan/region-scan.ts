import type { ScanKernel } from './kernel.js';

const NEWLINE = 0x0a;

/** Receives a line that holds a needle: its bytes are kernel.bytes[start, end), newline excluded. */
export type HitSink = (start: number, end: number, lineNo: number) => void;

/**
 * Lines right after a matching line that do not start a JSON object go with it, up to this many:
 * they may be its stack trace printed as plain text, which normalise/line-groups.ts attaches to
 * the record (and counts as malformed when it is not one). A blank line ends them.
 */
const FOLLOWERS_MAX = 512;

/** Finds matching lines region after region; see regionMatcher. */
export type RegionMatcher = (start: number, end: number, lineBase: number, hit: HitSink) => number;

/**
 * Finds the lines holding a needle in kernel memory [start, end), which must hold whole lines:
 * `start` is a line start, and `end` follows a newline unless the input ends there. Each such line
 * goes to `hit` once, however many needles it holds, numbered `lineBase + 1 + newlines before it`,
 * and so do the plain-text lines right after it (FOLLOWERS_MAX), also when they start the next
 * region: one matcher serves one stream of consecutive regions. Other lines are counted by the
 * kernel and never touched here. Returns the lines in the region, a final line without a newline
 * included.
 */
export function regionMatcher(kernel: ScanKernel): RegionMatcher {
  /** Follower lines still allowed at the start of the next region (0: the last line was none). */
  let following = 0;
  return (start, end, lineBase, hit) => {
    const bytes = kernel.bytes;
    let p = start;
    let lines = 0;
    const follow = (): boolean => {
      for (; following > 0 && p < end && isFollower(bytes[p]!); following--) {
        let e = bytes.indexOf(NEWLINE, p);
        if (e < 0 || e >= end) e = end;
        hit(p, e, lineBase + lines + 1);
        if (e >= end) return false;
        lines++;
        p = e + 1;
      }
      // Stopped at a line that is not one (or the limit): the run is over. At the region's end it
      // may go on in the next region.
      if (p < end) following = 0;
      return true;
    };
    if (!follow()) return lines + 1;
    while (p < end) {
      const q = kernel.find(p, end);
      lines += kernel.newlines;
      if (q < 0) break;
      const lineStart = kernel.newlines === 0 ? p : bytes.lastIndexOf(NEWLINE, q) + 1;
      let lineEnd = bytes.indexOf(NEWLINE, q);
      if (lineEnd < 0 || lineEnd >= end) lineEnd = end;
      hit(lineStart, lineEnd, lineBase + lines + 1);
      if (lineEnd >= end) return lines + 1;
      // Skip the rest of the line: further needles in it would find the same line again.
      lines++;
      p = lineEnd + 1;
      following = FOLLOWERS_MAX;
      if (!follow()) return lines + 1;
    }
    return end > start && bytes[end - 1] !== NEWLINE ? lines + 1 : lines;
  };
}

function isFollower(first: number): boolean {
  return first !== 0x7b /* { */ && first !== NEWLINE && first !== 0x0d;
}

/** Receives one line's text and its number. */
export type LineSink = (text: string, lineNo: number) => void;

/**
 * A RegionHandler (file-range.ts) that decodes lines for `emit`: only the lines holding a needle
 * when `plan` is set, every line otherwise.
 */
export function lineRegions(kernel: ScanKernel, matchAll: boolean, emit: LineSink): (start: number, end: number, lineBase: number) => number {
  if (!matchAll) {
    const match = regionMatcher(kernel);
    return (start, end, lineBase) => match(start, end, lineBase, (s, e, lineNo) => emit(kernel.bytes.toString('utf8', s, e), lineNo));
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
