import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { RawLine } from '../types.js';
import { drain, flushCarry, readGzipOnce, startsWithGzip, type Followed } from './follow-lines.js';
import type { LogSource, ReadOptions } from './source.js';

/**
 * Follows files the way `tail -F` does: new lines appear as they are written; a file renamed
 * away and replaced (rotation), emptied in place (truncation) or created after we started is
 * picked up again; glob patterns are expanded again now and then so new files join in.
 *
 * Change detection is polling (portable, and correct on network and container filesystems);
 * fs.watch on the parent folders only wakes the poll early, so a missed or unsupported watch
 * event costs at most one poll interval.
 */
export interface FollowOptions {
  /** Paths or glob patterns. A literal path that does not exist yet is waited for. */
  patterns: readonly string[];
  /** How often files are checked for new data, in ms (default 250). */
  pollIntervalMs?: number;
  /** How often glob patterns are expanded again, in ms (default 2000). */
  globIntervalMs?: number;
  /** Files present at the start are read from their beginning instead of their end. */
  fromStart?: boolean;
  /** Files present at the start also deliver their last N complete lines first. */
  historyLines?: number;
  /** Short human notices: rotation, truncation, a file appearing or going away. */
  onNotice?: (message: string) => void;
  /** Labels attached to every line of a path (e.g. `service_name` from the file name). */
  labelsFor?: (path: string) => Record<string, string> | undefined;
  /** Wake the poll on fs.watch events (default true). */
  useWatch?: boolean;
  /** Called once the files present at the start are open (their start positions are fixed). */
  onReady?: () => void;
  /** Folder relative patterns are resolved against (default process.cwd()). */
  cwd?: string;
}

const DEFAULT_POLL_MS = 250;
const DEFAULT_GLOB_MS = 2000;
const READ_CHUNK = 1 << 20;
/** How far back we look for the last newline when starting at the end of a file. */
const TAIL_PROBE_BYTES = 64 << 10;
const NEWLINE = 0x0a;

export class FollowSource implements LogSource {
  readonly description: string;

  constructor(private readonly options: FollowOptions) {
    const n = options.patterns.length;
    this.description = n === 1 ? `${options.patterns[0]} (followed)` : `${n} files (followed)`;
  }

  read(readOptions: ReadOptions): AsyncIterable<RawLine[]> {
    return this.follow(readOptions);
  }

  private async *follow(readOptions: ReadOptions): AsyncGenerator<RawLine[]> {
    const o = this.options;
    const cwd = o.cwd ?? process.cwd();
    const pollMs = o.pollIntervalMs ?? DEFAULT_POLL_MS;
    const globMs = o.globIntervalMs ?? DEFAULT_GLOB_MS;
    const { signal } = readOptions;
    const files = new Map<string, Followed>();
    /** Offsets reached per inode, so a rotated file that a glob now matches is not read again. */
    const seenInodes = new Map<string, number>();
    const waker = new Waker();
    const watchers = new Map<string, FSWatcher>();

    const watchDir = (dir: string): void => {
      if (o.useWatch === false || watchers.has(dir)) return;
      try {
        const w = watch(dir, { persistent: false }, () => waker.wake());
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // No watch support here (or the folder is missing): polling alone covers it.
      }
    };

    const track = async (display: string, atStart: boolean): Promise<void> => {
      const absolute = resolve(cwd, display);
      if (files.has(absolute)) return;
      const f: Followed = {
        display,
        absolute,
        handle: null,
        inode: null,
        offset: 0,
        carry: Buffer.alloc(0),
        lineNo: 0,
        labels: o.labelsFor?.(display),
        gone: false,
        skipping: false,
        gzip: null,
      };
      files.set(absolute, f);
      watchDir(dirname(absolute));
      const opened = await openFile(f, atStart ? 'start' : 'new');
      if (!opened && atStart) {
        const special = await stat(absolute).then((st) => !st.isFile(), () => false);
        o.onNotice?.(special ? `${display} is not a regular file (a FIFO or device); pipe it into standard input: cat ${display} | mcp-trace tail` : `cannot open ${display} yet; waiting for it to appear`);
      }
    };

    /** Opens the file now at `f.absolute`; `start` applies --from-start / history, `new` reads it whole. */
    const openFile = async (f: Followed, mode: 'start' | 'new'): Promise<boolean> => {
      let handle: FileHandle;
      try {
        // Never open a FIFO here: opening one waits for a writer inside a libuv thread that
        // nothing (not even Ctrl-C) can end. Only regular files are followed.
        if (!(await stat(f.absolute)).isFile()) return false;
        handle = await open(f.absolute, 'r');
      } catch {
        return false;
      }
      const st = await handle.stat();
      if (!st.isFile()) {
        await handle.close();
        return false;
      }
      if (await startsWithGzip(handle)) {
        await handle.close();
        // It cannot grow: read once at the start when -n or --from-start asks for its lines.
        f.gzip = mode === 'start' && (o.fromStart || (o.historyLines ?? 0) > 0) ? 'read' : 'done';
        if (f.gzip === 'done') o.onNotice?.(`${f.display} is gzipped, so a finished file: not followed (--from-start reads it once)`);
        return true;
      }
      f.handle = handle;
      f.inode = `${st.dev}:${st.ino}`;
      f.carry = Buffer.alloc(0);
      f.skipping = false;
      f.gone = false;
      const holder = [...files.values()].find((g) => g !== f && g.handle && g.inode === f.inode);
      if (holder) {
        // A glob now matches a file we follow under its old name (rotation by rename): take
        // over its handle and position so no line is read twice; the old name is reopened.
        await handle.close();
        f.handle = holder.handle;
        f.offset = holder.offset;
        f.carry = holder.carry;
        f.skipping = holder.skipping;
        f.lineNo = holder.lineNo;
        holder.handle = null;
        holder.inode = null;
        holder.carry = Buffer.alloc(0);
        holder.gone = false;
        return true;
      }
      const known = seenInodes.get(f.inode);
      if (known !== undefined && known <= st.size) {
        // A file we already followed under another name (a glob matched the rotated copy).
        f.offset = known;
        f.lineNo = null;
      } else if (mode === 'new' || o.fromStart) {
        f.offset = 0;
        f.lineNo = 0;
      } else if (o.historyLines && o.historyLines > 0) {
        f.offset = await startOfLastLines(handle, st.size, o.historyLines);
        f.lineNo = f.offset === 0 ? 0 : null;
      } else {
        f.offset = await afterLastNewline(handle, st.size);
        f.lineNo = f.offset === 0 ? 0 : null;
      }
      return true;
    };

    const expand = async (first: boolean): Promise<void> => {
      for (const pattern of o.patterns) {
        if (!isDynamicPattern(pattern)) {
          await track(pattern, first);
          continue;
        }
        let matches: string[] = [];
        try {
          matches = await glob(pattern, { cwd, onlyFiles: true, dot: true, expandDirectories: false, absolute: isAbsolute(pattern) });
        } catch {
          matches = [];
        }
        if (first && matches.length === 0) o.onNotice?.(`no file matches ${pattern} yet; waiting for one to appear`);
        for (const m of matches.sort()) {
          if (!files.has(resolve(cwd, m)) && !first) o.onNotice?.(`following ${m} (new file)`);
          await track(m, first);
        }
        if (first) watchDir(resolve(cwd, globBase(pattern)));
      }
    };

    /** Reads whatever is new in one followed file, handling rotation and truncation. */
    const poll = async (f: Followed, out: RawLine[]): Promise<void> => {
      if (f.gzip !== null) return;
      if (f.handle) await drain(f, out, readOptions, o.onNotice);
      let st: Awaited<ReturnType<typeof stat>> | null = null;
      try {
        st = await stat(f.absolute);
      } catch {
        st = null;
      }
      if (!st || !st.isFile()) {
        if (f.handle && !f.gone) {
          f.gone = true;
          o.onNotice?.(`${f.display} has gone away; waiting for it to come back`);
        }
        return;
      }
      const inode = `${st.dev}:${st.ino}`;
      if (!f.handle) {
        if (await openFile(f, 'new')) {
          o.onNotice?.(`${f.display} has appeared; following it`);
          await drain(f, out, readOptions, o.onNotice);
        }
        return;
      }
      if (inode !== f.inode) {
        // Rotated: the old file was drained above; finish its last unterminated line, then switch.
        flushCarry(f, out, readOptions);
        await closeFile(f);
        if (await openFile(f, 'new')) {
          o.onNotice?.(`${f.display} was rotated; following the new file`);
          await drain(f, out, readOptions, o.onNotice);
        }
        return;
      }
      if (f.gone) f.gone = false;
      if (st.size < f.offset) {
        flushCarry(f, out, readOptions);
        f.offset = 0;
        f.lineNo = 0;
        o.onNotice?.(`${f.display} was truncated; reading it from the start`);
        await drain(f, out, readOptions, o.onNotice);
      }
    };

    const closeFile = async (f: Followed): Promise<void> => {
      if (f.inode) {
        seenInodes.set(f.inode, f.offset);
        if (seenInodes.size > 1000) seenInodes.delete(seenInodes.keys().next().value as string);
      }
      await f.handle?.close().catch(() => undefined);
      f.handle = null;
      f.inode = null;
    };

    try {
      await expand(true);
      o.onReady?.();
      let lastGlob = Date.now();
      const hasGlobs = o.patterns.some((p) => isDynamicPattern(p));
      // -n: the first batch is every file's last lines together (gzipped ones too), so that the
      // reader can merge them by time; notices about them wait until the batch was taken.
      let backlog = !o.fromStart && (o.historyLines ?? 0) > 0;
      while (!signal?.aborted) {
        if (hasGlobs && Date.now() - lastGlob >= globMs) {
          await expand(false);
          lastGlob = Date.now();
        }
        const out: RawLine[] = [];
        const later: string[] = [];
        for (const f of files.values()) {
          if (f.gzip !== 'read') continue;
          f.gzip = 'done';
          const keep = o.fromStart ? Infinity : (o.historyLines ?? 0);
          let whole: boolean;
          if (backlog) whole = await collect(readGzipOnce(f, readOptions, (m) => later.push(m), keep), out);
          else whole = yield* readGzipOnce(f, readOptions, o.onNotice, keep);
          // After its lines (the merge asks for more only once they were taken): why no more come.
          if (whole) later.push(`${f.display} is gzipped, so a finished file: read once, not followed`);
          if (!backlog) for (const m of later.splice(0)) o.onNotice?.(m);
        }
        backlog = false;
        // Only finished (gzipped) files and no glob that could match more: nothing will ever come.
        const finished = !hasGlobs && files.size > 0 && [...files.values()].every((f) => f.gzip === 'done');
        if (!finished) for (const f of files.values()) await poll(f, out);
        if (out.length > 0) yield out;
        for (const m of later) o.onNotice?.(m);
        if (finished) break;
        if (signal?.aborted) break;
        await waker.sleep(pollMs, signal);
      }
    } finally {
      for (const w of watchers.values()) w.close();
      for (const f of files.values()) await closeFile(f);
    }
  }
}

/** Drains a generator's batches into `out`; its return value. */
async function collect<R>(batches: AsyncGenerator<RawLine[], R>, out: RawLine[]): Promise<R> {
  for (;;) {
    const step = await batches.next();
    if (step.done) return step.value;
    for (const line of step.value) out.push(line);
  }
}

/** Offset just after the file's last newline, so a line being written is delivered whole. */
async function afterLastNewline(handle: FileHandle, size: number): Promise<number> {
  if (size === 0) return 0;
  const from = Math.max(0, size - TAIL_PROBE_BYTES);
  const buf = Buffer.allocUnsafe(size - from);
  const { bytesRead } = await handle.read(buf, 0, buf.length, from);
  const nl = buf.subarray(0, bytesRead).lastIndexOf(NEWLINE);
  if (nl === -1) return from === 0 ? 0 : size;
  return from + nl + 1;
}

/** Offset where the last `n` complete lines begin (an unfinished last line does not count). */
export async function startOfLastLines(handle: FileHandle, size: number, n: number): Promise<number> {
  let end = await afterLastNewline(handle, size);
  // `end` is just after the newline of the last complete line; count n newlines back from end-1.
  let remaining = n;
  let pos = end - 1;
  while (pos > 0) {
    const from = Math.max(0, pos - READ_CHUNK);
    const buf = Buffer.allocUnsafe(pos - from);
    await handle.read(buf, 0, buf.length, from);
    for (let i = buf.length - 1; i >= 0; i--) {
      if (buf[i] === NEWLINE) {
        remaining--;
        if (remaining === 0) return from + i + 1;
      }
    }
    pos = from;
  }
  end = 0;
  return end;
}

/** The folder part of a glob before its first dynamic segment, for watching. */
function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  if (fixed.length === parts.length) fixed.pop();
  return fixed.join('/') || '.';
}

/** A sleep that ends early on abort or when a watch event says something changed. */
class Waker {
  private pending: (() => void) | null = null;
  private woken = false;

  wake(): void {
    this.woken = true;
    this.pending?.();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.woken || signal?.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((done) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.pending = null;
        this.woken = false;
        done();
      };
      const timer = setTimeout(finish, ms);
      signal?.addEventListener('abort', finish, { once: true });
      this.pending = finish;
    });
  }
}
