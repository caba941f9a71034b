// `traces` on a big file: every trace down to its row, on all cores. Each thread reads the whole
// file but parses only the lines of its share of the traces (normalise/line-share.ts), folds and
// analyses those traces as `show` would, and sends back rows. A big file is cut into more shares
// than threads, each thread reading its shares one after another, so that memory holds the facts
// of a few shares at a time rather than of every trace in the file. A trace's records all go to one
// thread, in file order, so each row is the one a single thread would make; the rows are put
// back in the order their traces were first seen. Files whose lines depend on their neighbours
// (stack traces after a record, container pieces) and inputs that can be read only once are read
// on one thread, by the same fold.
import { availableParallelism, loadavg } from 'node:os';
import { closeSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { boundedInterner } from '../assemble/trace-facts.js';
import { foldTraces } from '../collect/fold-traces.js';
import type { ReadHooks } from '../collect/collect-trace.js';
import { SourceError } from '../errors.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type ScanStats } from '../types.js';
import type { SkewChoice } from './analyse-trace.js';
import type { FirstSeen, RowsJob, RowsMessage } from './rows-protocol.js';
import { shareRows } from './share-rows.js';
import { releasing, traceRows, type TraceRow } from './trace-rows.js';

/**
 * Below this, starting threads (each loads the program, ~0.1 s) and reading the file twice cost
 * more than they save.
 */
export const PARALLEL_MIN_BYTES = 48 << 20;

/**
 * File bytes per share of the traces. The facts of a share take about half as much memory as
 * its bytes (~2.1 KB a trace of ~10 lines; the bench's 1 GiB file holds ~600 MB of facts), and a
 * share beyond one per thread costs one more read of the whole file (~0.7 s per 128 MiB on this
 * project's machine). So files up to a GiB on two cores are read once, and a bigger file is read
 * once more per 512 MiB per thread rather than holding facts for every trace in it: memory stays
 * near what 512 MiB of logs need, however big the file.
 */
export const SHARE_BYTES = 512 << 20;

export interface ParallelTuning {
  /** Threads to use (default: the idle cores, at most 4: each reads the whole file). */
  threads?: number;
  minBytes?: number;
  /** File bytes per share (SHARE_BYTES). */
  shareBytes?: number;
  workerUrl?: URL;
}

export interface SourceRows {
  rows: TraceRow[];
  stats: ScanStats;
  /** Threads the rows were made on (1: read on this one). */
  threads: number;
  /** Shares the traces were cut into (passes over the files, over all threads). */
  shares: number;
}

/** Every trace of `source` as a row, in first-seen order: on several threads when it pays. */
export async function traceRowsOfSource(
  source: LogSource,
  normalise: NormaliseOptions,
  skew: SkewChoice,
  options: ReadHooks & { labelFileNames?: boolean; tuning?: ParallelTuning } = {},
): Promise<SourceRows> {
  const threads = Math.min(options.tuning?.threads ?? idleCores(), 4);
  // A field named by the user is one line-share.ts cannot see in the raw text.
  const custom = normalise.traceField !== undefined;
  const split = threads > 1 && !custom ? await source.splittable?.() : null;
  if (split && split.bytes >= (options.tuning?.minBytes ?? PARALLEL_MIN_BYTES)) {
    const passes = Math.max(1, Math.ceil(split.bytes / threads / (options.tuning?.shareBytes ?? SHARE_BYTES)));
    const job = { normalise, skew, labelFileNames: options.labelFileNames ?? false, of: threads * passes };
    const rows = await rowsOnThreads(split.paths, threads, job, options);
    if (rows !== null) return { ...rows, threads, shares: job.of };
    if (options.signal?.aborted) return { rows: [], stats: newStats(), threads, shares: job.of };
  }
  const { fold, stats } = await foldTraces(source, normalise, { signal: options.signal, onProgress: options.onProgress });
  return { rows: traceRows(releasing(fold.take()), skew), stats, threads: 1, shares: 1 };
}

/**
 * Cores not already busy: the cores less the 1-minute load average, at least one. Each thread
 * reads the whole file, so on a busy machine (a CI runner, a build beside it) extra threads
 * only compete: measured here at 128 MiB with load 3-5 on 2 cores, 7.4 s on two threads
 * against 5.3 s on one. The rows are the same on any number of threads.
 */
function idleCores(): number {
  return Math.max(1, Math.round(availableParallelism() - loadavg()[0]!));
}

/** The rows from `of` threads, or null when a line shows the files cannot be split. */
async function rowsOnThreads(
  paths: readonly string[],
  threads: number,
  job: Omit<RowsJob, 'paths' | 'shares' | 'openFiles'>,
  options: ReadHooks & { tuning?: ParallelTuning },
): Promise<{ rows: TraceRow[]; stats: ScanStats } | null> {
  const url = options.tuning?.workerUrl ?? new URL('./rows-worker.js', import.meta.url);
  // Opened once, here: a file deleted or renamed while it is read is still read whole by every thread.
  const openFiles: Record<string, number> = {};
  const workers: Worker[] = [];
  const rows: { at: FirstSeen; row: TraceRow }[] = [];
  // Rows arrive with their own copies of every string: services and names are stored once.
  const once = boundedInterner();
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    for (const w of workers) void w.terminate();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    for (const path of paths) openFiles[path] ??= await openFile(path);
    const results = await Promise.all(
      Array.from({ length: threads }, (_, thread) => {
        // Thread t reads shares t, t + threads, …: one after another.
        const shares = Array.from({ length: job.of / threads }, (_, pass) => thread + pass * threads);
        const part: RowsJob = { ...job, paths, shares, openFiles };
        return new Promise<Extract<RowsMessage, { kind: 'done' }> | null>((resolve, reject) => {
          const onMessage = (msg: RowsMessage): void => {
            if (msg.kind === 'rows') {
              for (const r of msg.rows) {
                const row = r.row;
                row.services = row.services.map(once);
                if (row.rootService !== null) row.rootService = once(row.rootService);
                if (row.rootName !== null) row.rootName = once(row.rootName);
                rows.push(r);
              }
            } else if (msg.kind === 'progress') {
              if (thread === 0) options.onProgress?.(msg.done, msg.total);
            } else if (msg.kind === 'done') resolve(msg);
            else if (msg.kind === 'not-splittable') {
              stop();
              resolve(null);
            } else reject(msg.source ? new SourceError(msg.message) : new Error(msg.message));
          };
          // This thread takes the first part itself: one thread fewer to start, and it would idle.
          if (thread === 0) {
            shareRows(part, onMessage, () => stopped).then(() => resolve(null), reject);
            return;
          }
          const worker = new Worker(url, { workerData: part });
          workers.push(worker);
          worker.on('message', onMessage);
          worker.on('error', reject);
          worker.on('exit', () => resolve(null));
        });
      }),
    );
    if (results.some((r) => r === null)) return null;
    return merge(rows, results as Extract<RowsMessage, { kind: 'done' }>[]);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const fd of Object.values(openFiles)) closeSync(fd);
  }
}

async function openFile(path: string): Promise<number> {
  try {
    return openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
}

function merge(all: { at: FirstSeen; row: TraceRow }[], results: readonly Extract<RowsMessage, { kind: 'done' }>[]): { rows: TraceRow[]; stats: ScanStats } {
  all.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || a.at[2] - b.at[2]);
  // Every thread read every line; each parsed its own lines, and all of them the shared ones.
  const stats = { ...results[0]!.read };
  stats.malformedLines += results[0]!.shared.malformedLines;
  stats.linesMatched += results.reduce((n, r) => n + r.shared.linesMatched, 0);
  for (const r of results) {
    stats.malformedLines += r.own.malformedLines;
    stats.linesMatched += r.own.linesMatched;
  }
  return { rows: all.map((r) => r.row), stats };
}
