import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { PackedState } from '../assemble/trace-summary-codec.js';
import { unpackRows, type PackedRows } from '../assemble/trace-row-codec.js';
import { SourceError } from '../errors.js';
import { isGzip } from '../sources/files.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { newStats } from '../types.js';
import { formatBytes, startProgress } from './progress.js';
import { RangeClaims } from './range-claims.js';
import { planReads, type PlannedFile, type ReadGrid, type ReadPlan } from './read-plan.js';
import type { TraceRows } from './summarise-traces.js';
import { addStats, summariseClaimed } from './summarise-units.js';
import type { WorkerMessage, WorkerRequest } from './summarise-worker.js';
import { splitStretches, summariseShare, transferList, type SharePart } from './trace-shares.js';

/** Below this much plain text, starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;
/**
 * Knobs for tests: the serial reader's grid (give FileSource the same `scan` tuning to compare),
 * and the worker script (tests that run from src/ point it at the built one).
 */
export interface ParallelTuning extends ReadGrid {
  workerUrl?: URL;
}

const WORKER_URL = new URL('./summarise-worker.js', import.meta.url);

/** Files the serial reader may take as one JSON document (sources/files.ts): they are not lines. */
const DOCUMENT_MAX_BYTES = 64 << 20;

/**
 * `traces` on big plain files, one thread per core: the main thread and its workers each read a
 * segment of the input, taking units from slower threads once their own are done
 * (range-claims.ts, summarise-units.ts); then each thread merges and summarises one share of the
 * trace ids (trace-shares.ts), so the work that grows with the number of traces is shared too.
 * The main thread reads as well: with two cores, a second worker would only compete with it.
 * Null when it would not pay off (small input, gzip, one core); the caller then reads serially.
 */
export async function summariseInParallel(
  paths: readonly string[],
  labelsFor: (path: string) => Record<string, string> | undefined,
  normalise: NormaliseOptions,
  /** Threads to use; given explicitly (hidden --workers, tests) it applies whatever the size. */
  forced?: number,
  tuning: ParallelTuning = {},
): Promise<TraceRows | null> {
  const threads = forced ?? availableParallelism();
  if (threads < 2) return null;
  const files: PlannedFile[] = [];
  for (const path of paths) {
    if (await isGzip(path)) return null;
    const size = (await stat(path)).size;
    if (/\.json$/i.test(path) && size <= DOCUMENT_MAX_BYTES) return null;
    const labels = labelsFor(path);
    files.push(labels ? { path, size, labels } : { path, size });
  }
  const total = files.reduce((a, f) => a + f.size, 0);
  if (total < PARALLEL_MIN_BYTES && forced === undefined) return null;
  return summarisePlan(planReads(files, threads, tuning), normalise, total, tuning.workerUrl ?? WORKER_URL);
}

async function summarisePlan(plan: ReadPlan, normalise: NormaliseOptions, totalBytes: number, workerUrl: URL): Promise<TraceRows> {
  const threads = plan.segments.length;
  const claims = RangeClaims.create(plan.segments);
  const progress = startProgress();
  let bytes = 0;
  const onBytes = (n: number) => {
    bytes += n;
    progress.update(`reading ${formatBytes(bytes)} of ${formatBytes(totalBytes)}`);
  };
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    claims.close(); // every thread stops after the unit it is reading
  };
  // Workers start first: they load their modules while the main thread already reads.
  const workers = Array.from({ length: threads - 1 }, (_, i) => new ReaderThread(workerUrl, i + 1, onBytes, fail));
  for (const w of workers) w.post({ type: 'read', plan, claims: claims.buffer, thread: w.thread, threads, normalise });
  try {
    const own = await summariseClaimed(plan, claims, 0, normalise, {
      onBytes,
      between: () => new Promise<void>((resolve) => setImmediate(resolve)),
    }).catch((err: Error) => {
      fail(err);
      return [];
    });
    if (failure) throw failure;
    const stats = newStats();
    for (const s of own) addStats(stats, s.stats);

    // Every thread summarises one share of the traces: route each stretch's parts to its share's thread.
    const { kept, sent } = splitStretches(own, threads, 0);
    const inbox: Array<Array<SharePart<PackedState>>> = Array.from({ length: threads }, () => []);
    const deliver = (parts: Array<SharePart<PackedState>>) => parts.forEach((p) => inbox[p.share]!.push(p));
    deliver(sent);
    const reported = new Set([0]);
    const sendShares = () => {
      for (const w of workers) {
        if (w.shareSent || !workers.every((o) => o === w || reported.has(o.thread))) continue;
        w.post({ type: 'share', parts: inbox[w.thread]! }, transferList(inbox[w.thread]!));
        w.shareSent = true;
      }
    };
    sendShares();
    await Promise.all(
      workers.map(async (w) => {
        const message = await w.parts;
        addStats(stats, message.stats);
        deliver(message.parts);
        reported.add(w.thread);
        sendShares();
      }),
    );
    let rows = summariseShare([...kept, ...inbox[0]!]);
    for (const w of workers) rows = rows.concat(unpackRows(await w.rows));
    return { rows, stats };
  } finally {
    progress.stop();
    // Not awaited: tearing down a worker's heap takes a while on its own thread, which the main
    // thread need not wait for (a finished worker has nothing left to do).
    for (const w of workers) void w.worker.terminate();
  }
}

/** A worker and the two answers expected from it (summarise-worker.ts). */
class ReaderThread {
  readonly worker: Worker;
  readonly parts: Promise<Extract<WorkerMessage, { type: 'parts' }>>;
  readonly rows: Promise<PackedRows>;
  shareSent = false;

  constructor(
    url: URL,
    readonly thread: number,
    onBytes: (n: number) => void,
    fail: (err: Error) => void,
  ) {
    this.worker = new Worker(url);
    const parts = deferred<Extract<WorkerMessage, { type: 'parts' }>>();
    const rows = deferred<PackedRows>();
    this.parts = parts.promise;
    this.rows = rows.promise;
    let stopped = false;
    const failed = (err: Error) => {
      if (stopped) return;
      stopped = true;
      fail(err);
      parts.reject(err);
      rows.reject(err);
    };
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onBytes(message.bytes);
      else if (message.type === 'parts') parts.resolve(message);
      else if (message.type === 'rows') {
        stopped = true;
        rows.resolve(message.rows);
      }
      else failed(new SourceError(message.message));
    });
    this.worker.on('error', (err) => failed(new SourceError(`a reader thread failed: ${err.message}`)));
    this.worker.on('exit', () => failed(new SourceError('a reader thread stopped before it finished')));
  }

  post(request: WorkerRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(request, transfer);
  }
}

/** A promise with its settle functions; its rejection is handled (it may never be awaited when another thread failed first). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
