import { availableParallelism } from 'node:os';
import { open, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { TraceSummaries } from '../assemble/trace-summary.js';
import { unpackState, type PackedState } from '../assemble/trace-summary-codec.js';
import { SourceError } from '../errors.js';
import { isGzip } from '../sources/files.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { newStats, type ScanStats } from '../types.js';
import { formatBytes, startProgress } from './progress.js';
import type { SummarisedTraces } from './summarise-traces.js';
import type { RangeJob } from './summarise-worker.js';

/** Below this much plain text, starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;
/** Ranges per worker: smaller ranges even out workers that the OS schedules unevenly. */
const RANGES_PER_WORKER = 4;

/**
 * `traces` on big plain files, using every core: files are cut into line-aligned byte ranges,
 * workers normalise and summarise ranges in parallel, and their summaries are merged in file
 * order (merging in order keeps service visits that straddle a cut whole).
 * Null when it would not pay off (small input, gzip, one core); the caller then reads serially.
 */
export async function summariseInParallel(
  paths: readonly string[],
  labelsFor: (path: string) => Record<string, string> | undefined,
  normalise: NormaliseOptions,
  /** Workers to use; given explicitly (hidden --workers, tests) it applies whatever the size. */
  forced?: number,
): Promise<SummarisedTraces | null> {
  const workers = forced ?? availableParallelism();
  if (workers < 2) return null;
  const sizes: number[] = [];
  for (const path of paths) {
    if (await isGzip(path)) return null;
    sizes.push((await stat(path)).size);
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total < PARALLEL_MIN_BYTES && forced === undefined) return null;

  const target = Math.max(forced === undefined ? 1 << 20 : 4096, Math.ceil(total / (workers * RANGES_PER_WORKER)));
  const jobs: RangeJob[] = [];
  for (const [i, path] of paths.entries()) {
    const labels = labelsFor(path);
    for (const [start, end] of await lineAlignedRanges(path, sizes[i]!, target)) jobs.push({ path, start, end, labels, normalise });
  }
  return runJobs(jobs, Math.min(workers, jobs.length), total);
}

async function runJobs(jobs: RangeJob[], workerCount: number, totalBytes: number): Promise<SummarisedTraces> {
  const summaries = new TraceSummaries();
  const stats = newStats();
  const progress = startProgress();
  const done: Array<{ state: PackedState; stats: ScanStats } | undefined> = [];
  let merged = 0;
  let next = 0;
  let bytes = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const start = (worker: Worker) => {
        if (next >= jobs.length) {
          if (running === 0) resolve();
          return;
        }
        const index = next++;
        running++;
        const onMessage = (message: WorkerMessage) => {
          if (message.type === 'progress') {
            bytes += message.bytes;
            progress.update(`reading ${formatBytes(bytes)} of ${formatBytes(totalBytes)}`);
            return;
          }
          worker.off('message', onMessage);
          running--;
          if (message.type === 'error') {
            reject(new SourceError(`cannot read ${jobs[index]!.path}: ${message.message}`));
            return;
          }
          done[index] = { state: message.state, stats: message.stats };
          // Merge in input order as soon as the next range in line is in.
          while (merged < jobs.length && done[merged]) {
            const part = done[merged]!;
            summaries.merge(unpackState(part.state));
            addStats(stats, part.stats);
            done[merged++] = undefined;
          }
          start(worker);
        };
        worker.on('message', onMessage);
        worker.postMessage(jobs[index]);
      };
      for (let i = 0; i < workerCount; i++) {
        const worker = new Worker(new URL('./summarise-worker.js', import.meta.url));
        worker.on('error', reject);
        pool.push(worker);
        start(worker);
      }
    });
  } finally {
    progress.stop();
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { summaries, stats };
}

type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'error'; message: string }
  | { type: 'done'; state: PackedState; stats: ScanStats };

function addStats(into: ScanStats, from: ScanStats): void {
  into.linesRead += from.linesRead;
  into.linesMatched += from.linesMatched;
  into.malformedLines += from.malformedLines;
  into.bytesRead += from.bytesRead;
}

/** Cuts [0, size) near every `target` bytes, each cut moved just past the next newline. */
async function lineAlignedRanges(path: string, size: number, target: number): Promise<Array<[number, number]>> {
  const ranges: Array<[number, number]> = [];
  const fh = await open(path, 'r');
  try {
    const probe = Buffer.alloc(64 << 10);
    let start = 0;
    while (start < size) {
      let cut = Math.min(size, start + target);
      while (cut < size) {
        const { bytesRead } = await fh.read(probe, 0, probe.length, cut);
        if (bytesRead === 0) {
          cut = size;
          break;
        }
        const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
        if (nl >= 0) {
          cut += nl + 1;
          break;
        }
        cut += bytesRead;
      }
      ranges.push([start, Math.min(cut, size)]);
      start = cut;
    }
  } finally {
    await fh.close();
  }
  return ranges;
}
