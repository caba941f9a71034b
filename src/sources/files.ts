import { closeSync, constants, createReadStream, fstatSync, openSync, read, readSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { SourceError, UserError } from '../errors.js';
import { BinaryGuard } from './binary-guard.js';
import type { RawLine } from '../types.js';
import { LineScanner } from './line-scanner.js';
import { scanPlainFile, type ScanTuning } from './scan/file-scan.js';
import { planNeedles, type NeedlePlan } from './scan/needle-plan.js';
import type { LogSource, ReadOptions } from './source.js';

const STREAM_CHUNK_BYTES = 1 << 20;

export interface FileSourceOptions {
  /** Labels for every line of a file, e.g. the service named by the file name. */
  labelsFor?: (path: string) => Record<string, string> | undefined;
  /** Read sizes and thread use for plain files; the defaults suit real use (tests shrink them). */
  scan?: ScanTuning;
  /** Called once when a pipe or device has sent nothing for IDLE_NOTICE_MS (a FIFO with no writer yet). */
  onIdle?: IdleNotice;
  /**
   * Files another thread of this process holds open, by path: read through those descriptors
   * (positional reads, so threads do not disturb each other) and left open. A file deleted after
   * that thread opened it is still read whole.
   */
  openFiles?: Readonly<Record<string, number>>;
}

/** Told the name of an input that has been silent since it was opened. */
export type IdleNotice = (name: string) => void;

/** Silence after which a pipe or device read is worth a word: a FIFO nobody writes to yet looks like a hang. */
export const IDLE_NOTICE_MS = 3000;

/**
 * Local log files, plain or gzipped, read as streams so memory stays flat whatever their size.
 * Construct it with `FileSource.open(patterns)`: patterns are expanded and checked up front so a
 * typo fails before any work is done.
 */
export class FileSource implements LogSource {
  readonly description: string;
  /** Pipes and devices already read: what they sent is gone. */
  private readonly drained = new Set<string>();

  private constructor(
    readonly paths: readonly string[],
    private readonly options: FileSourceOptions,
  ) {
    this.description = paths.length === 1 ? paths[0]! : `${paths.length} files`;
  }

  static async open(patterns: readonly string[], options: FileSourceOptions = {}): Promise<FileSource> {
    // Files another thread opened are paths already, and may be gone from the folder by now.
    const opened = options.openFiles;
    if (opened && patterns.every((p) => opened[p] !== undefined)) return new FileSource(patterns, options);
    return new FileSource(await expandPatterns(patterns), options);
  }

  /**
   * What a reader that splits the work between threads needs (analyse/parallel-rows.ts): the
   * files, when every one is a regular file that another thread can open and read from the start
   * the same way, and their total size. Null for pipes and devices, whose lines can be read only
   * once, and for `.gz` files, whose size on disk says little of the lines in them (a gzip file
   * without the extension is split too: each thread decompresses it). The caller opens the files
   * once and hands the threads their descriptors (FileSourceOptions.openFiles).
   */
  async splittable(): Promise<{ paths: readonly string[]; bytes: number } | null> {
    let bytes = 0;
    for (const path of this.paths) {
      const st = await stat(path).catch(() => null);
      if (st === null || !st.isFile() || path.endsWith('.gz')) return null;
      bytes += st.size;
    }
    return { paths: this.paths, bytes };
  }

  async *read(options: ReadOptions): AsyncIterable<RawLine[]> {
    const shared = this.options.openFiles;
    const stats = await Promise.all(this.paths.map((p) => (shared?.[p] !== undefined ? fstatSync(shared[p]) : stat(p))));
    const total = stats.reduce((a, s) => a + s.size, 0);
    const plan = planNeedles(options.needles);
    let doneBefore = 0;
    for (const [i, path] of this.paths.entries()) {
      const labels = this.options.labelsFor?.(path);
      const onBytes = (done: number): void => options.onProgress?.(doneBefore + done, total);
      try {
        if (stats[i]!.isFile()) {
          // Opened once: a file deleted or renamed while it is read is still read to its end.
          const given = shared?.[path];
          const fd = given ?? openSync(path, 'r');
          try {
            yield* this.readFile(path, fd, stats[i]!.size, labels, plan, options, onBytes);
          } finally {
            if (given === undefined) closeSync(fd);
          }
        } else if (!this.drained.has(path)) {
          // A pipe or device (`<(kubectl logs …)`, a FIFO): one sequential pass, like standard
          // input, and only once: a second read (looking for ids near a typo) would wait for a new writer.
          this.drained.add(path);
          yield* this.readStream(path, undefined, labels, options, onBytes);
        }
      } catch (err) {
        throw fileError(path, err);
      }
      doneBefore += stats[i]!.size;
      if (options.signal?.aborted) return;
    }
  }

  private async *readFile(
    path: string,
    fd: number,
    size: number,
    labels: Record<string, string> | undefined,
    plan: NeedlePlan | null,
    options: ReadOptions,
    onBytes: (done: number) => void,
  ): AsyncIterable<RawLine[]> {
    const document = size <= MAX_DOCUMENT_BYTES ? await readDocument(path, fd) : null;
    if (document !== null) {
      // A pretty-printed export (Jaeger UI, OTLP): one record source, not one line each.
      options.stats.bytesRead += size;
      options.stats.linesRead += document.lines;
      if (!options.needles?.length || options.needles.some((n) => document.text.includes(n))) {
        yield [{ text: document.text, origin: path, lineNo: 1, ...(labels ? { labels } : {}) }];
      }
    } else if (path.endsWith('.gz') || startsWithGzipMagic(fd)) {
      yield* this.readStream(path, fd, labels, options, onBytes);
    } else {
      // Plain files: read in place by the scan kernel, on two threads when big (scan/file-scan.ts).
      yield* scanPlainFile({
        path,
        fd,
        plan,
        needles: options.needles ?? [],
        ...(labels ? { labels } : {}),
        options,
        onBytes,
        ...(this.options.scan ? { tuning: this.options.scan } : {}),
      });
    }
  }

  /**
   * One sequential pass through the chunk-at-a-time LineScanner, gunzipping when the content
   * starts with gzip's magic bytes (sniffed from the first chunk, so pipes work too).
   */
  private async *readStream(
    path: string,
    /** The regular file's descriptor (left open); undefined for a pipe or device, opened here. */
    fd: number | undefined,
    labels: Record<string, string> | undefined,
    options: ReadOptions,
    onBytes: (done: number) => void,
  ): AsyncIterable<RawLine[]> {
    const endless = fd === undefined;
    // A pipe or device may never end: binary data from it (/dev/urandom) is given up on.
    const scanner = new LineScanner(path, options.needles, options.stats, labels, endless ? new BinaryGuard(path) : undefined);
    // Our own reads for a descriptor we hold: a ReadStream given one closes it when destroyed.
    let streamBytes = 0;
    const raw = fd === undefined ? openPipeOrDevice(path) : Readable.from(fdChunks(fd, (n) => (streamBytes += n)));
    const onIdle = this.options.onIdle;
    const idle = endless && onIdle ? idleTimer(() => onIdle(path)) : undefined;
    let stream: Readable | undefined;
    try {
      // Opening a FIFO waits for its writer, and the first read for data: both count as silence.
      stream = await sniffGzip(raw);
      idle?.stop();
      // ReadStream and Socket count what they read; our own reader counts for itself.
      yield* scanStream(stream, scanner, options, () => onBytes(fd === undefined ? ((raw as Readable & { bytesRead?: number }).bytesRead ?? 0) : streamBytes));
    } finally {
      idle?.stop();
      stream?.destroy();
      raw.destroy();
    }
  }
}

/**
 * A FIFO is opened without blocking and read through the event loop, as standard input is: a
 * blocking open waits for a writer inside a libuv thread, where nothing, not even Ctrl-C's
 * process.exit, can end it. Devices (/dev/zero) open at once and are read as streams.
 */
function openPipeOrDevice(path: string): Readable {
  if (!statSync(path).isFIFO()) return createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES });
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/** A file's bytes from its start, STREAM_CHUNK_BYTES at a time, by positional reads. */
async function* fdChunks(fd: number, onRead: (bytes: number) => void): AsyncIterable<Buffer> {
  for (let position = 0; ; ) {
    const buf = Buffer.allocUnsafe(STREAM_CHUNK_BYTES);
    const { bytesRead } = await readAt(fd, buf, 0, buf.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    onRead(bytesRead);
    yield buf.subarray(0, bytesRead);
  }
}

/** The stream's bytes, gunzipped when they start with gzip's magic (1f 8b). */
async function sniffGzip(raw: Readable): Promise<Readable> {
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  async function* all(): AsyncIterable<Buffer> {
    if (head.length > 0) yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  const bytes = Readable.from(all(), { objectMode: false });
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return bytes;
  const gunzip = createGunzip();
  bytes.on('error', (err) => gunzip.destroy(err)); // a read error ends the gunzip stream with it
  return bytes.pipe(gunzip);
}

/** Reads a stream through a scanner, yielding the kept lines chunk by chunk. */
export async function* scanStream(
  stream: Readable,
  scanner: LineScanner,
  options: ReadOptions,
  onChunk?: () => void,
  onIdle?: () => void,
): AsyncIterable<RawLine[]> {
  const idle = onIdle ? idleTimer(onIdle) : undefined;
  try {
    for await (const chunk of stream) {
      idle?.stop();
      const lines = scanner.push(chunk as Buffer);
      onChunk?.();
      if (lines.length > 0) yield lines;
      if (options.signal?.aborted) {
        stream.destroy();
        return;
      }
    }
  } finally {
    idle?.stop();
  }
  const rest = scanner.end();
  if (rest.length > 0) yield rest;
}

/** Calls `notice` once after IDLE_NOTICE_MS unless stopped first; never keeps the process alive. */
function idleTimer(notice: () => void): { stop(): void } {
  const timer = setTimeout(notice, IDLE_NOTICE_MS);
  timer.unref();
  return { stop: () => clearTimeout(timer) };
}

/** Characters that can make a pattern a glob; the glob library decides what they really mean. */
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/**
 * Expands globs (quoted ones too: the shell may not have), keeps order, drops duplicates. A
 * path that exists is taken as it is, even with glob characters in its name; the glob library
 * loads only when a pattern needs it.
 */
async function expandPatterns(patterns: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const pattern of patterns) {
    let paths: string[];
    if (GLOB_CHARS.test(pattern) && !(await exists(pattern)) && (await import('tinyglobby')).isDynamicPattern(pattern)) {
      const { glob } = await import('tinyglobby');
      paths = (await glob(pattern, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
      if (paths.length === 0) throw new SourceError(`no file matches '${pattern}'`);
    } else {
      await checkReadable(pattern);
      paths = [pattern];
    }
    for (const p of paths) {
      // The same file under two names (`a.log ./a.log`, a symlink, a glob and a name) is read once.
      const key = await stat(p).then((s) => `${s.dev}:${s.ino}`, () => p);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function checkReadable(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new SourceError(`${path} is a directory: name the log files in it, e.g. '${path}/*.log'`);
  } catch (err) {
    throw fileError(path, err);
  }
}

/** Whole-document JSON files are read into memory: exports from trace viewers are small. */
const MAX_DOCUMENT_BYTES = 64 << 20;

/**
 * A `.json` file holding one multi-line JSON value (Jaeger UI's download, a pretty-printed OTLP
 * export) as a single line; null for anything else, which is then read line by line. Newlines
 * outside strings are only whitespace in JSON (inside strings they must be escaped), so joining
 * the lines with spaces keeps the value, big integers included.
 */
async function readDocument(path: string, fd: number): Promise<{ text: string; lines: number } | null> {
  if (!/\.json$/i.test(path)) return null;
  const raw = await readFd(fd);
  const lines = raw.split('\n');
  if (lines.filter((l) => l.trim() !== '').length < 2) return null;
  try {
    JSON.parse(raw);
  } catch {
    return null; // NDJSON, or broken: the line reader counts what it can't parse
  }
  return { text: raw.replace(/\r?\n/g, ' '), lines: raw.endsWith('\n') ? lines.length - 1 : lines.length };
}

/** The whole file from its start, read with positional reads (the descriptor has no position to share). */
async function readFd(fd: number): Promise<string> {
  const { size } = fstatSync(fd);
  const buf = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await readAt(fd, buf, done, size - done, done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.toString('utf8', 0, done);
}

function readAt(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
  return new Promise((resolve, reject) => read(fd, buf, offset, length, position, (err, bytesRead) => (err ? reject(err) : resolve({ bytesRead }))));
}

function startsWithGzipMagic(fd: number): boolean {
  const head = Buffer.alloc(2);
  return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** gzip by content, not by name: rotated logs are not always named .gz. */
export async function isGzip(path: string): Promise<boolean> {
  if (path.endsWith('.gz')) return true;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function fileError(path: string, err: unknown): Error {
  if (err instanceof UserError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return new SourceError(`cannot read ${path}: no such file`);
    case 'EACCES':
    case 'EPERM':
      return new SourceError(`cannot read ${path}: permission denied`);
    case 'EISDIR':
      return new SourceError(`${path} is a directory: name the log files in it, e.g. '${path}/*.log'`);
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return new SourceError(`cannot read ${path}: not valid gzip data (${(err as Error).message})`);
    default:
      return new SourceError(`cannot read ${path}: ${(err as Error)?.message ?? String(err)}`);
  }
}
