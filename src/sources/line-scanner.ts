import type { RawLine, ScanStats } from '../types.js';
import type { BinaryGuard } from './binary-guard.js';
import { countLongLine, maxLineBytes, MIN_MAX_LINE_BYTES } from './scan/line-limit.js';
import { createKernel, type ScanKernel } from './scan/kernel.js';
import { EMPTY_PLAN, planNeedles } from './scan/needle-plan.js';
import { lineRegions } from './scan/region-scan.js';

const NEWLINE = 0x0a;
const PIECE_BYTES = MIN_MAX_LINE_BYTES;

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
  /** Inside a line longer than the limit: its bytes are dropped up to the next newline. */
  private skipping = false;
  private readonly maxLine = maxLineBytes();

  constructor(
    private readonly origin: string,
    needles: readonly string[] | undefined,
    private readonly stats: ScanStats,
    private readonly labels?: Record<string, string>,
    /** Set for inputs that may never end (pipes, devices): gives up on endless binary data. */
    private readonly binary?: BinaryGuard,
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
    // Pieces of at most 1 MiB: then only the carried line can outgrow the limit (line-limit.ts).
    for (let at = 0; at < chunk.length; at += PIECE_BYTES) this.pushPiece(chunk.subarray(at, at + PIECE_BYTES));
    return this.take();
  }

  private pushPiece(piece: Uint8Array): void {
    this.binary?.see(piece);
    if (this.skipping) {
      // Inside a line over the limit, already counted: drop bytes up to its newline.
      const nl = piece.indexOf(NEWLINE);
      if (nl === -1) return;
      this.skipping = false;
      piece = piece.subarray(nl + 1);
    }
    const firstNl = piece.indexOf(NEWLINE);
    if (this.carry + (firstNl === -1 ? piece.length : firstNl) > this.maxLine) {
      this.lineNo++;
      this.stats.linesRead++;
      countLongLine(this.stats);
      this.carry = 0;
      if (firstNl === -1) {
        this.skipping = true;
        return;
      }
      piece = piece.subarray(firstNl + 1);
    }
    if (piece.length === 0) return;
    const k = this.kernel;
    k.ensureCapacity(this.carry + piece.length);
    k.bytes.set(piece, this.carry);
    const filled = this.carry + piece.length;
    // The carried bytes hold no newline: look in the new ones only.
    const inPiece = k.bytes.subarray(this.carry, filled).lastIndexOf(NEWLINE);
    if (inPiece === -1) {
      this.carry = filled; // a line longer than a chunk: keep collecting
      return;
    }
    const last = this.carry + inPiece;
    this.scan(0, last + 1);
    k.bytes.copyWithin(0, last + 1, filled);
    this.carry = filled - last - 1;
  }

  /** Flushes a last line that had no newline at the end of the input. */
  end(): RawLine[] {
    if (this.carry > 0) this.scan(0, this.carry);
    this.carry = 0;
    this.skipping = false;
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
