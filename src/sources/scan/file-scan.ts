// Scanning one plain (not gzipped) file: split into segments that the main thread and, for big
// files, one worker thread claim from a shared counter; results are handed on in line order.
//
// Why segments rather than two halves: a worker takes ~40 ms to start, and the main thread also
// runs the consumer; claiming 8 MiB at a time keeps both cores busy to the end whatever their
// speeds, and only the results of segments finished ahead of their turn are held (bounded below).
// Why the main thread scans too: with two cores, a second worker would only add its start-up.
// Why no worker without needles: then every line is decoded on the main thread anyway, and moving
// text between threads costs as much as reading it (normalising in workers is a later step).

import { closeSync, fstatSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { RawLine } from '../../types.js';
import type { ReadOptions } from '../source.js';
import { scanFileRange } from './file-range.js';
import type { HitBatch } from './hit-batch.js';
import { createKernel, type ScanKernel } from './kernel.js';
import { EMPTY_PLAN, type NeedlePlan } from './needle-plan.js';
import { BATCH_BYTES, MAX_OUTSTANDING_BYTES, SHARED_SLOTS, SLOT, type WorkerJob, type WorkerMessage } from './protocol.js';
import { lineRegions } from './region-scan.js';

/** Knobs, mostly for tests (small chunks and thresholds reach the edge cases on small inputs). */
export interface ScanTuning {
  /** Bytes per read (default 512 KiB). */
  chunkBytes?: number;
  /** Bytes per unit of work shared between threads (default 8 MiB). */
  segmentBytes?: number;
  /** Files at least this big get a worker thread when there are needles (default 64 MiB). */
  workerThreshold?: number;
  /** The worker script (default: file-worker.js next to this module). */
  workerUrl?: URL;
  /** False leaves every segment to the worker (tests check the worker's path alone with it). */
  mainThreadScans?: boolean;
  /** Memory bounds for when most lines match; see protocol.ts and MAX_HELD_CHARS. */
  batchBytes?: number;
  maxOutstandingBytes?: number;
  maxHeldChars?: number;
}

export const DEFAULT_TUNING: Required<Omit<ScanTuning, 'workerUrl'>> = {
  // Measured on 1 GiB page-cached, two threads: 512 KiB–1 MiB reads ~15% faster than 128 KiB
  // (fewer syscalls and kernel calls outweigh the chunk no longer fitting L2), 64 KiB slower still.
  chunkBytes: 512 << 10,
  segmentBytes: 8 << 20,
  // Below this the worker's start-up (~40 ms) eats what it would save.
  workerThreshold: 64 << 20,
  mainThreadScans: true,
  batchBytes: BATCH_BYTES,
  maxOutstandingBytes: MAX_OUTSTANDING_BYTES,
  // The main thread may hold this much text of segments it finished ahead of their turn.
  maxHeldChars: 16 << 20,
};

/** A segment's results until it is its turn to be handed on. */
interface Pending {
  /** Lines found by the main thread, numbered within the segment. */
  own: RawLine[];
  ownChars: number;
  /** Lines found by the worker, still bytes. */
  batches: HitBatch[];
  /** Lines in the segment, once it is finished. */
  lines?: number;
}

export interface FileScanRequest {
  path: string;
  plan: NeedlePlan | null;
  /** The needles as given (the worker rebuilds the plan from them). */
  needles: readonly string[];
  labels?: Record<string, string>;
  options: ReadOptions;
  /** Bytes of this file done so far. */
  onBytes?: (done: number) => void;
  tuning?: ScanTuning;
}

export async function* scanPlainFile(req: FileScanRequest): AsyncIterable<RawLine[]> {
  const tuning = { ...DEFAULT_TUNING, ...req.tuning };
  const { stats, signal } = req.options;
  const fd = openSync(req.path, 'r');
  const shared = new Int32Array(new SharedArrayBuffer(4 * SHARED_SLOTS));
  let worker: Worker | undefined;
  try {
    const size = fstatSync(fd).size;
    const segments = Math.max(1, Math.ceil(size / tuning.segmentBytes));
    const segmentSize = (k: number): number => Math.min(size, (k + 1) * tuning.segmentBytes) - k * tuning.segmentBytes;
    const inbox: WorkerMessage[] = [];
    let wake: (() => void) | undefined;
    if (req.plan && size >= tuning.workerThreshold && segments > 1) {
      worker = startWorker(req, tuning, size, segments, shared.buffer as SharedArrayBuffer, (msg) => {
        inbox.push(msg);
        wake?.();
      });
    }
    const kernel = createKernel(req.plan ?? EMPTY_PLAN, tuning.chunkBytes);
    const pending = new Map<number, Pending>();
    const pendingFor = (k: number): Pending => {
      let p = pending.get(k);
      if (!p) pending.set(k, (p = { own: [], ownChars: 0, batches: [] }));
      return p;
    };
    let heldChars = 0;
    let next = 0;
    let lineBase = 0;
    let bytesDone = 0;
    let allClaimed = false;

    while (next < segments) {
      if (signal?.aborted) return;
      for (const msg of inbox.splice(0)) {
        if (msg.kind === 'batch') pendingFor(msg.batch.segment).batches.push(msg.batch);
        else if (msg.kind === 'segment') pendingFor(msg.segment).lines = msg.lines;
        else if (msg.kind === 'error') throw Object.assign(new Error(msg.message), { code: msg.code });
      }
      // Hand on every segment whose turn it is, partial worker results included.
      for (let p = pending.get(next); p; p = pending.get(next)) {
        if (p.own.length > 0) {
          for (const line of p.own) line.lineNo += lineBase;
          heldChars -= p.ownChars;
          const own = p.own;
          p.own = [];
          yield own;
        }
        while (p.batches.length > 0) {
          const lines = decodeBatch(p.batches.shift()!, lineBase, req.path, req.labels);
          Atomics.sub(shared, SLOT.outstanding, lines.bytes);
          Atomics.notify(shared, SLOT.outstanding);
          if (lines.lines.length > 0) yield lines.lines;
        }
        if (p.lines === undefined) break;
        lineBase += p.lines;
        stats.linesRead += p.lines;
        stats.bytesRead += segmentSize(next);
        bytesDone += segmentSize(next);
        req.onBytes?.(bytesDone);
        pending.delete(next);
        next++;
      }
      if (next >= segments) break;
      if (!allClaimed && heldChars < tuning.maxHeldChars && (tuning.mainThreadScans || !worker)) {
        const k = Atomics.add(shared, SLOT.next, 1);
        if (k < segments) {
          const from = k * tuning.segmentBytes;
          const p = pendingFor(k);
          p.lines = scanSegment(fd, kernel, req, from, from + segmentSize(k), size, tuning.chunkBytes, p);
          heldChars += p.ownChars;
          // Let worker messages and an abort in between segments.
          if (worker || signal) await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        allClaimed = true;
      }
      if (!worker) throw new Error(`internal: segment ${next} of ${req.path} was never scanned`);
      if (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    Atomics.store(shared, SLOT.stop, 1);
    Atomics.notify(shared, SLOT.outstanding);
    if (worker) void worker.terminate();
    closeSync(fd);
  }
}

/** Scans one segment on this thread into p.own; returns its line count. */
function scanSegment(
  fd: number,
  kernel: ScanKernel,
  req: FileScanRequest,
  from: number,
  to: number,
  size: number,
  chunkBytes: number,
  p: Pending,
): number {
  const emit = (text: string, lineNo: number): void => {
    const raw: RawLine = { text, origin: req.path, lineNo };
    if (req.labels) raw.labels = req.labels;
    p.own.push(raw);
    p.ownChars += text.length;
  };
  return scanFileRange(fd, kernel, from, to, size, chunkBytes, lineRegions(kernel, req.plan === null, emit));
}

function decodeBatch(
  batch: HitBatch,
  lineBase: number,
  origin: string,
  labels: Record<string, string> | undefined,
): { lines: RawLine[]; bytes: number } {
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const lines: RawLine[] = [];
  for (let i = 0; i < batch.index.length; i += 3) {
    const raw: RawLine = { text: bytes.toString('utf8', batch.index[i], batch.index[i + 1]), origin, lineNo: lineBase + batch.index[i + 2]! };
    if (labels) raw.labels = labels;
    lines.push(raw);
  }
  return { lines, bytes: bytes.length };
}

function startWorker(
  req: FileScanRequest,
  tuning: Required<Omit<ScanTuning, 'workerUrl'>> & ScanTuning,
  size: number,
  segments: number,
  shared: SharedArrayBuffer,
  onMessage: (msg: WorkerMessage) => void,
): Worker {
  const job: WorkerJob = {
    path: req.path,
    needles: [...req.needles],
    size,
    segmentBytes: tuning.segmentBytes,
    segments,
    chunkBytes: tuning.chunkBytes,
    batchBytes: tuning.batchBytes,
    maxOutstandingBytes: tuning.maxOutstandingBytes,
    shared,
  };
  const worker = new Worker(tuning.workerUrl ?? new URL('./file-worker.js', import.meta.url), { workerData: job });
  let finished = false;
  worker.on('message', (msg: WorkerMessage) => {
    if (msg.kind === 'done') finished = true;
    onMessage(msg);
  });
  worker.on('error', (err) => onMessage({ kind: 'error', message: `scan worker failed: ${err.message}` }));
  worker.on('exit', (code) => {
    if (!finished && Atomics.load(new Int32Array(shared), SLOT.stop) === 0) {
      onMessage({ kind: 'error', message: `scan worker stopped (exit code ${code})` });
    }
  });
  return worker;
}

