import type { RawLine, ScanStats } from '../types.js';

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines and keeps only the lines that contain one of the needles.
 *
 * The needles are searched in the raw bytes of a whole chunk, not line by line: a line that
 * cannot hold the trace id is never decoded, let alone JSON-parsed. That is what keeps `show`
 * near `grep -F` speed on large files. Without needles every line is handed on.
 */
export class LineScanner {
  private readonly needles: Buffer[];
  /** Bytes of an unfinished line carried over from the previous chunk. */
  private carry: Buffer = Buffer.alloc(0);
  private lineNo = 0;
  /** Lines already added to stats.linesRead: the stats are shared by every file of a run. */
  private counted = 0;

  constructor(
    private readonly origin: string,
    needles: readonly string[] | undefined,
    private readonly stats: ScanStats,
    private readonly labels?: Record<string, string>,
  ) {
    this.needles = (needles ?? []).filter((n) => n.length > 0).map((n) => Buffer.from(n, 'utf8'));
  }

  /** Feeds the next chunk; returns the complete lines it finished that pass the filter. */
  push(chunk: Buffer): RawLine[] {
    this.stats.bytesRead += chunk.length;
    const out: RawLine[] = [];
    const firstNl = chunk.indexOf(NEWLINE);
    if (firstNl === -1) {
      // A line longer than a chunk: keep collecting.
      this.carry = this.carry.length ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk);
      return out;
    }
    // The line that straddles the previous chunk and this one.
    const head = this.carry.length ? Buffer.concat([this.carry, chunk.subarray(0, firstNl)]) : chunk.subarray(0, firstNl);
    this.lineNo++;
    if (this.matches(head, 0, head.length)) out.push(this.line(head, 0, head.length, this.lineNo));

    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl > firstNl) this.scanRegion(chunk, firstNl + 1, lastNl, out);
    // Copy: the stream may reuse the chunk's memory.
    this.carry = Buffer.from(chunk.subarray(lastNl + 1));
    this.countLines();
    return out;
  }

  /** Flushes a last line that had no newline at the end of the input. */
  end(): RawLine[] {
    const out: RawLine[] = [];
    if (this.carry.length > 0) {
      this.lineNo++;
      if (this.matches(this.carry, 0, this.carry.length)) out.push(this.line(this.carry, 0, this.carry.length, this.lineNo));
      this.carry = Buffer.alloc(0);
    }
    this.countLines();
    return out;
  }

  private countLines(): void {
    this.stats.linesRead += this.lineNo - this.counted;
    this.counted = this.lineNo;
  }

  /** Lines in buf[start, end): end is the index of the region's final newline. */
  private scanRegion(buf: Buffer, start: number, end: number, out: RawLine[]): void {
    if (this.needles.length === 0) {
      this.splitAll(buf, start, end, out);
      return;
    }
    // Line starts of every hit, found by searching the whole region for each needle.
    const hitStarts = new Set<number>();
    for (const needle of this.needles) {
      let at = buf.indexOf(needle, start);
      while (at !== -1 && at < end) {
        const lineStart = buf.lastIndexOf(NEWLINE, at) + 1;
        hitStarts.add(Math.max(lineStart, start));
        const lineEnd = buf.indexOf(NEWLINE, at);
        at = buf.indexOf(needle, lineEnd + 1);
      }
    }
    const starts = [...hitStarts].sort((a, b) => a - b);
    // Line numbers need the newlines between hits counted, and linesRead needs them all.
    let pos = start;
    for (const lineStart of starts) {
      this.lineNo += countNewlines(buf, pos, lineStart);
      const lineEnd = buf.indexOf(NEWLINE, lineStart);
      this.lineNo++;
      out.push(this.line(buf, lineStart, lineEnd, this.lineNo));
      pos = lineEnd + 1;
    }
    this.lineNo += countNewlines(buf, pos, end + 1);
  }

  private splitAll(buf: Buffer, start: number, end: number, out: RawLine[]): void {
    const lines = buf.toString('utf8', start, end).split('\n');
    for (const text of lines) {
      this.lineNo++;
      out.push(this.makeLine(text, this.lineNo));
    }
  }

  private matches(buf: Buffer, start: number, end: number): boolean {
    if (this.needles.length === 0) return true;
    const slice = buf.subarray(start, end);
    return this.needles.some((n) => slice.indexOf(n) !== -1);
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): RawLine {
    return this.makeLine(buf.toString('utf8', start, end), lineNo);
  }

  private makeLine(text: string, lineNo: number): RawLine {
    const raw: RawLine = { text, origin: this.origin, lineNo };
    if (this.labels) raw.labels = this.labels;
    return raw;
  }
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(NEWLINE, from);
  while (i !== -1 && i < to) {
    n++;
    i = buf.indexOf(NEWLINE, i + 1);
  }
  return n;
}
