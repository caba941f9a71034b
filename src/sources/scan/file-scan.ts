// Scanning one plain (not gzipped) file: split into segments that the main thread and, for big
// files, one worker thread claim from a shared counter; results are handed on in line order.
//
// Why segments rather than two halves: a worker takes ~40 ms to start, and the main thread also
// runs the consumer; claiming 8 MiB at a time keeps both cores busy to the end whatever their
// speeds, and only the results of segments finished ahead of their turn are held (bounded below).
// Why the main thread scans too: with two cores, a second worker would only add its start-up.
// Why no worker without needles: then every line is decoded on the main thread anyway, and moving
// text between threads costs as much as reading it (normalising in workers is a later step).

import { fstatSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { RawLine } from '../../types.js';
import type { ReadOptions } from '../source.js';
import { countLongLine } from './line-limit.js';
import { fileRangeSteps, type RegionHandler } from './file-range.js';
import { decodeRecords, RecordWriter, type HitBatch } from './hit-batch.js';
import { createKernel, type ScanKernel } from './kernel.js';
import { EMPTY_PLAN, type NeedlePlan } from './needle-plan.js';
import { SLOT, SLOT_BYTES, SLOTS, type WorkerJob, type WorkerMessage } from './protocol.js';
import { lineRegions, regionMatcher } from './region-scan.js';

/** Knobs, mostly for tests (small chunks and thresholds reach the edge cases on small inputs). */
export interface ScanTuning {
  /** Bytes per read (default 512 KiB). */
  chunkBytes?: number;
  /** Bytes per unit of work shared between threads (default 8 MiB; 1–2 MiB measured ~15% slower). */
  segmentBytes?: number;
  /** Files at least this big get a worker thread when there are needles (default 256 MiB). */
  workerThreshold?: number;
  /** The worker script (default: file-worker.js next to this module). */
  workerUrl?: URL;
  /** False leaves every segment to the worker (tests check the worker's path alone with it). */
  mainThreadScans?: boolean;
  /** Memory bounds for when most lines match: the worker's slots (protocol.ts), and maxHeldBytes below. */
  slots?: number;
  slotBytes?: number;
  maxHeldBytes?: number;
}

export const DEFAULT_TUNING: Required<Omit<ScanTuning, 'workerUrl'>> = {
  // Measured on 1 GiB page-cached, two threads: 512 KiB–1 MiB reads ~15% faster than 128 KiB
  // (fewer syscalls and kernel calls outweigh the chunk no longer fitting L2), 64 KiB slower still.
  chunkBytes: 512 << 10,
  segmentBytes: 8 << 20,
  // The worker needs 40–70 ms to start, in which the main thread alone scans ~200 MiB. Measured
  // (scan wall time, single vs. with worker): 128 MiB 59 vs 80 ms, 256 MiB 119 vs 110 ms,
  // 1 GiB ~400 vs ~250 ms.
  workerThreshold: 256 << 20,
  mainThreadScans: true,
  slots: SLOTS,
  slotBytes: SLOT_BYTES,
  // The main thread scans no further segment while it holds this many bytes of lines from
  // segments it finished ahead of their turn.
  maxHeldBytes: 4 << 20,
};

/** A segment's results until it is its turn to be handed on. */
interface Pending {
  /**
   * Lines the main thread found in a segment it scanned out of turn, kept as bytes: thousands of
   * string objects held across allocations get promoted and made the heap grow (measured: 350 MB
   * peak RSS with most lines matching, against ~100 MB holding bytes).
   */
  held: HitBatch[];
  /** Lines found by the worker, still bytes. */
  batches: HitBatch[];
  /** Lines in the segment, once it is finished. */
  lines?: number;
}

export interface FileScanRequest {
  path: string;
  /** The file, opened by the caller (and closed by it); the worker reads through the same descriptor. */
  fd: number;
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
  const fd = req.fd;
  const control = new Int32Array(new SharedArrayBuffer(4 * (SLOT.states + tuning.slots)));
  let worker: Worker | undefined;
  try {
    const size = fstatSync(fd).size;
    const segments = Math.max(1, Math.ceil(size / tuning.segmentBytes));
    const segmentSize = (k: number): number => Math.min(size, (k + 1) * tuning.segmentBytes) - k * tuning.segmentBytes;
    const inbox: WorkerMessage[] = [];
    let wake: (() => void) | undefined;
    let slotData: SharedArrayBuffer | undefined;
    if (req.plan && size >= tuning.workerThreshold && segments > 1) {
      slotData = new SharedArrayBuffer(tuning.slots * tuning.slotBytes);
      worker = startWorker(req, tuning, size, segments, control.buffer as SharedArrayBuffer, slotData, (msg) => {
        inbox.push(msg);
        wake?.();
      });
    }
    const kernel = createKernel(req.plan ?? EMPTY_PLAN, tuning.chunkBytes);
    const onLong = (): void => countLongLine(stats);
    const pending = new Map<number, Pending>();
    const pendingFor = (k: number): Pending => {
      let p = pending.get(k);
      if (!p) pending.set(k, (p = { held: [], batches: [] }));
      return p;
    };
    // Buffers for segments scanned out of turn, reused: see Pending.held.
    const pool: Uint8Array[] = [];
    let heldBytes = 0;
    /** Worker batches received and not yet handed on. */
    let workerBatches = 0;
    let next = 0;
    let lineBase = 0;
    let bytesDone = 0;
    let allClaimed = false;
    let mainScans = tuning.mainThreadScans || !worker;

    while (next < segments) {
      if (signal?.aborted) return;
      for (const msg of inbox.splice(0)) {
        if (msg.kind === 'slot') {
          pendingFor(msg.segment).batches.push(slotBatch(msg, control, slotData!, tuning.slotBytes));
          workerBatches++;
        } else if (msg.kind === 'records') {
          pendingFor(msg.segment).batches.push({ segment: msg.segment, records: msg.records });
          workerBatches++;
        } else if (msg.kind === 'segment') {
          pendingFor(msg.segment).lines = msg.lines;
          for (let i = 0; i < msg.longLines; i++) countLongLine(stats);
        } else if (msg.kind === 'error') {
          throw Object.assign(new Error(msg.message), { code: msg.code });
        }
      }
      // Hand on every segment whose turn it is, partial worker results included.
      for (let p = pending.get(next); p; p = pending.get(next)) {
        workerBatches -= p.batches.length;
        for (const batch of [...p.held.splice(0), ...p.batches.splice(0)]) {
          const lines = decodeRecords(batch.records, lineBase, req.path, req.labels);
          batch.release?.();
          if (lines.length > 0) yield lines;
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
      // Decoding comes before scanning: the main thread takes a segment only when no worker output
      // waits, and stops scanning for good once its segments turn out to be mostly matches
      // (then decoding is the bottleneck: measured with every line matching, 4.8 s when both
      // threads scan, 2.9 s when the main thread only decodes).
      if (!allClaimed && mainScans && heldBytes < tuning.maxHeldBytes && workerBatches === 0) {
        const k = Atomics.add(control, SLOT.next, 1);
        if (k < segments) {
          const p = pendingFor(k);
          const from = k * tuning.segmentBytes;
          let matched = 0;
          if (k === next) {
            // Its turn already: hand lines on chunk by chunk, numbered from the current base.
            const out: RawLine[] = [];
            const emit = (text: string, lineNo: number): void => {
              const raw: RawLine = { text, origin: req.path, lineNo: lineBase + lineNo };
              if (req.labels) raw.labels = req.labels;
              out.push(raw);
              matched += text.length;
            };
            const steps = segmentSteps(fd, kernel, from, from + segmentSize(k), size, tuning.chunkBytes, lineRegions(kernel, req.plan === null, emit), onLong);
            let step = steps.next();
            for (; !step.done; step = steps.next()) {
              if (out.length > 0) {
                yield out.splice(0);
                if (signal?.aborted) return;
              }
            }
            if (out.length > 0) yield out.splice(0);
            p.lines = step.value;
          } else {
            // Only with a worker, so with needles: the matched lines' bytes go straight to records.
            const writer = new RecordWriter(pool.pop() ?? new Uint8Array(64 << 10), true);
            const match = regionMatcher(kernel);
            const steps = segmentSteps(fd, kernel, from, from + segmentSize(k), size, tuning.chunkBytes, (start, end, base) =>
              match(start, end, base, (s, e, lineNo) => writer.add(kernel.bytes, s, e, lineNo)),
              onLong,
            );
            let step = steps.next();
            while (!step.done) step = steps.next();
            p.lines = step.value;
            const held = writer.used;
            matched += held;
            heldBytes += held;
            p.held.push({
              segment: k,
              records: writer.records,
              release: () => {
                heldBytes -= held;
                if (pool.length < 4) pool.push(writer.buffer);
              },
            });
          }
          if (worker && matched * 4 > segmentSize(k)) mainScans = false;
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
    Atomics.store(control, SLOT.stop, 1);
    for (let i = 0; i < tuning.slots; i++) Atomics.notify(control, SLOT.states + i);
    // The worker reads through our descriptor: it must have stopped before the caller closes it.
    if (worker) await worker.terminate();
  }
}

/** Scans one segment on this thread, a chunk a step; returns its line count. */
function segmentSteps(
  fd: number,
  kernel: ScanKernel,
  from: number,
  to: number,
  size: number,
  chunkBytes: number,
  region: RegionHandler,
  onLongLine: () => void,
): Generator<void, number, void> {
  return fileRangeSteps(fd, kernel, from, to, size, chunkBytes, region, onLongLine);
}

/** The records a worker left in a shared slot; releasing frees the slot for the worker. */
function slotBatch(msg: { segment: number; slot: number; length: number }, control: Int32Array, data: SharedArrayBuffer, slotBytes: number): HitBatch {
  return {
    segment: msg.segment,
    records: new Uint8Array(data, msg.slot * slotBytes, msg.length),
    release: () => {
      Atomics.store(control, SLOT.states + msg.slot, 0);
      Atomics.notify(control, SLOT.states + msg.slot);
    },
  };
}

function startWorker(
  req: FileScanRequest,
  tuning: Required<Omit<ScanTuning, 'workerUrl'>> & ScanTuning,
  size: number,
  segments: number,
  control: SharedArrayBuffer,
  data: SharedArrayBuffer,
  onMessage: (msg: WorkerMessage) => void,
): Worker {
  const job: WorkerJob = {
    path: req.path,
    fd: req.fd,
    needles: [...req.needles],
    size,
    segmentBytes: tuning.segmentBytes,
    segments,
    chunkBytes: tuning.chunkBytes,
    control,
    data,
    slots: tuning.slots,
    slotBytes: tuning.slotBytes,
  };
  const worker = new Worker(tuning.workerUrl ?? new URL('./file-worker.js', import.meta.url), { workerData: job });
  let finished = false;
  worker.on('message', (msg: WorkerMessage) => {
    if (msg.kind === 'done') finished = true;
    onMessage(msg);
  });
  worker.on('error', (err) => onMessage({ kind: 'error', message: `scan worker failed: ${err.message}` }));
  worker.on('exit', (code) => {
    if (!finished && Atomics.load(new Int32Array(control), SLOT.stop) === 0) {
      onMessage({ kind: 'error', message: `scan worker stopped (exit code ${code})` });
    }
  });
  return worker;
}

