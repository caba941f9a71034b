import type { RawLine, ScanStats } from '../types.js';
import { createKernel, type ScanKernel } from './scan/kernel.js';
import { EMPTY_PLAN, planNeedles } from './scan/needle-plan.js';
import { lineRegions } from './scan/region-scan.js';

const NEWLINE = 0x0a;

/**
 * Splits a byte stream (stdin, gunzip output) into lines and keeps only the lines that contain one
 * of the needles; without needles every line is handed on.
 *
 * The needles are searched in the raw bytes of a whole chunk by the SIMD scan kernel
 * (scan/kernel.ts), which counts newlines in the same pass: a line that cannot hold the trace id
 * is never decoded, let alone JSON-parsed. Plain files take the faster path in scan/file-scan.ts,
 * which reads straight into the kernel's memory and splits big files across two threads; a stream
 * has to be copied in chunk by chunk.
 */
export class LineScanner {
  private readonly kernel: ScanKernel;
  private readonly region: (start: number, end: number, lineBase: number) => number;
  private out: RawLine[] = [];
  /** Bytes of an unfinished line at the start of the kernel's memory. */
  private carry = 0;
  private lineNo = 0;

  constructor(
    private readonly origin: string,
    needles: readonly string[] | undefined,
    private readonly stats: ScanStats,
    private readonly labels?: Record<string, string>,
  ) {
    const plan = planNeedles(needles);
    this.kernel = createKernel(plan ?? EMPTY_PLAN, 64 << 10);
    this.region = lineRegions(this.kernel, plan === null, (text, lineNo) => {
      const raw: RawLine = { text, origin: this.origin, lineNo };
      if (this.labels) raw.labels = this.labels;
      this.out.push(raw);
    });
  }

  /** Feeds the next chunk; returns the complete lines it finished that pass the filter. */
  push(chunk: Uint8Array): RawLine[] {
    this.stats.bytesRead += chunk.length;
    const k = this.kernel;
    k.ensureCapacity(this.carry + chunk.length);
    k.bytes.set(chunk, this.carry);
    const filled = this.carry + chunk.length;
    // The carried bytes hold no newline: look in the new ones only.
    const inChunk = k.bytes.subarray(this.carry, filled).lastIndexOf(NEWLINE);
    if (inChunk === -1) {
      this.carry = filled; // a line longer than a chunk: keep collecting
      return [];
    }
    const last = this.carry + inChunk;
    this.scan(0, last + 1);
    k.bytes.copyWithin(0, last + 1, filled);
    this.carry = filled - last - 1;
    return this.take();
  }

  /** Flushes a last line that had no newline at the end of the input. */
  end(): RawLine[] {
    if (this.carry > 0) this.scan(0, this.carry);
    this.carry = 0;
    return this.take();
  }

  private scan(start: number, end: number): void {
    const lines = this.region(start, end, this.lineNo);
    this.lineNo += lines;
    this.stats.linesRead += lines;
  }

  private take(): RawLine[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}
