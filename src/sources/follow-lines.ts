// Lines of one followed file (follow.ts): reading what is new, splitting it, cutting lines over
// the line limit, and gzipped files read through once.
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { RawLine } from '../types.js';
import { scanStream } from './files.js';
import { LineScanner } from './line-scanner.js';
import { countLongLine, describeLineLimit, MAX_LINE_ENV, maxLineBytes } from './scan/line-limit.js';
import type { ReadOptions } from './source.js';

const READ_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export interface Followed {
  /** As shown in origins and notices: the path as given, or as the glob matched it. */
  display: string;
  absolute: string;
  handle: FileHandle | null;
  inode: string | null;
  offset: number;
  carry: Buffer;
  /** Line number of the last line delivered; null when we started mid-file and do not know it. */
  lineNo: number | null;
  labels: Record<string, string> | undefined;
  /** The name no longer points at our open file; we keep reading the old one until it returns. */
  gone: boolean;
  /** Inside a line over the line limit: its bytes are dropped up to the next newline. */
  skipping: boolean;
  /**
   * gzip content: a finished file (rotated logs are compressed once closed), never followed.
   * 'read' until --from-start has read it through once, then 'done'.
   */
  gzip: 'read' | 'done' | null;
}

/** Reads from the open handle up to its current end and splits complete lines off. */
export async function drain(f: Followed, out: RawLine[], ro: ReadOptions, onNotice?: (message: string) => void): Promise<void> {
  const handle = f.handle;
  if (!handle) return;
  const size = (await handle.stat()).size;
  // Same inode but shorter than where we are: truncation, handled by the caller after its stat.
  while (f.offset < size) {
    const want = Math.min(READ_CHUNK, size - f.offset);
    const buf = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(buf, 0, want, f.offset);
    if (bytesRead === 0) break;
    f.offset += bytesRead;
    ro.stats.bytesRead += bytesRead;
    splitLines(f, buf.subarray(0, bytesRead), out, ro, onNotice);
  }
}

function splitLines(f: Followed, chunk: Buffer, out: RawLine[], ro: ReadOptions, onNotice?: (message: string) => void): void {
  const max = maxLineBytes();
  let start = 0;
  if (f.skipping) {
    // Inside a line over the limit, already counted: drop bytes up to its newline.
    const nl = chunk.indexOf(NEWLINE);
    if (nl === -1) return;
    f.skipping = false;
    start = nl + 1;
  }
  let nl = chunk.indexOf(NEWLINE, start);
  if (f.carry.length > 0) {
    const length = f.carry.length + (nl === -1 ? chunk.length : nl) - start;
    if (length > max) {
      skipLongLine(f, ro, max, onNotice);
      f.carry = Buffer.alloc(0);
      if (nl === -1) {
        f.skipping = true;
        return;
      }
    } else if (nl === -1) {
      f.carry = Buffer.concat([f.carry, chunk.subarray(start)]);
      return;
    } else {
      emit(f, Buffer.concat([f.carry, chunk.subarray(start, nl)]).toString('utf8'), out, ro);
      f.carry = Buffer.alloc(0);
    }
    start = nl + 1;
    nl = chunk.indexOf(NEWLINE, start);
  }
  while (nl !== -1) {
    if (nl - start > max) skipLongLine(f, ro, max, onNotice);
    else emit(f, chunk.toString('utf8', start, nl), out, ro);
    start = nl + 1;
    nl = chunk.indexOf(NEWLINE, start);
  }
  if (chunk.length - start > max) {
    skipLongLine(f, ro, max, onNotice);
    f.skipping = true;
    f.carry = Buffer.alloc(0);
    return;
  }
  // Copy: `chunk` is reused memory and a small carry should not pin a 1 MB buffer.
  f.carry = Buffer.from(chunk.subarray(start));
}

/** A line beyond the limit (line-limit.ts) is counted as malformed and said, never held. */
function skipLongLine(f: Followed, ro: ReadOptions, max: number, onNotice?: (message: string) => void): void {
  ro.stats.linesRead++;
  countLongLine(ro.stats);
  if (f.lineNo !== null) f.lineNo++;
  onNotice?.(`skipped a line of ${f.display}${f.lineNo !== null ? ` (line ${f.lineNo})` : ''} longer than ${describeLineLimit(max)}, the line limit (${MAX_LINE_ENV} raises it)`);
}

export function flushCarry(f: Followed, out: RawLine[], ro: ReadOptions): void {
  f.skipping = false;
  if (f.carry.length === 0) return;
  emit(f, f.carry.toString('utf8'), out, ro);
  f.carry = Buffer.alloc(0);
}

function emit(f: Followed, text: string, out: RawLine[], ro: ReadOptions): void {
  ro.stats.linesRead++;
  if (f.lineNo !== null) f.lineNo++;
  const needles = ro.needles;
  if (needles && needles.length > 0 && !needles.some((n) => text.includes(n))) return;
  const line: RawLine = { text, origin: f.display, lineNo: f.lineNo ?? 0 };
  if (f.labels) line.labels = f.labels;
  out.push(line);
}

export async function startsWithGzip(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, 2, 0);
  return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * A gzipped file, decompressed and read through once (--from-start), or only its last `keep`
 * lines (-n), streamed so an archive costs time, not memory. Data that ends early (a copy cut
 * short) or is corrupt ends the file with a notice; what came before it is kept. Returns whether
 * the file was read to its end.
 */
export async function* readGzipOnce(f: Followed, ro: ReadOptions, onNotice?: (message: string) => void, keep = Infinity): AsyncGenerator<RawLine[], boolean> {
  const raw = createReadStream(f.absolute);
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  const last: RawLine[] = [];
  try {
    const batches = scanStream(raw.pipe(gunzip), new LineScanner(f.display, ro.needles, ro.stats, f.labels), ro);
    if (keep === Infinity) {
      yield* batches;
      return true;
    }
    for await (const batch of batches) {
      for (const line of batch) last.push(line);
      // Trimmed in bulk: dropping one line at a time is quadratic for -n 100000.
      if (last.length > 2 * keep + 1024) last.splice(0, last.length - keep);
    }
    if (keep > 0 && last.length > 0) yield last.slice(-keep);
    return true;
  } catch (err) {
    if (keep !== Infinity && keep > 0 && last.length > 0) yield last.slice(-keep);
    onNotice?.(`${f.display}: ${gzipProblem(err)}; read up to there`);
    return false;
  } finally {
    gunzip.destroy();
    raw.destroy();
  }
}

function gzipProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR') return 'the gzip data ends early';
  if (e?.code === 'Z_DATA_ERROR') return `not valid gzip data (${e.message})`;
  return `cannot read it (${e?.message ?? String(err)})`;
}
