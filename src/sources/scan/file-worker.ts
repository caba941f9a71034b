// Worker thread for scanning a large plain file alongside the main thread (see file-scan.ts).
// It claims segments from the shared counter, scans each with its own kernel, and writes the
// matched lines as records into shared slots (protocol.ts). Nothing here decodes text: the
// reader does, in line order.

import { parentPort, workerData } from 'node:worker_threads';
import { scanFileRange } from './file-range.js';
import { RecordWriter, recordSize } from './hit-batch.js';
import { createKernel } from './kernel.js';
import { planNeedles } from './needle-plan.js';
import { regionMatcher } from './region-scan.js';
import { SLOT, type WorkerJob, type WorkerMessage } from './protocol.js';

const job = workerData as WorkerJob;
const control = new Int32Array(job.control);
const data = new Uint8Array(job.data);
const post = (msg: WorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(msg, transfer);

class Stopped extends Error {}

/** Fills the shared slots in turn, waiting for the reader to free one when all are full. */
class SlotWriter {
  private slot = 0;
  private writer: RecordWriter | undefined;

  add(from: Uint8Array, start: number, end: number, lineNo: number, segment: number): void {
    const length = end - start;
    if (recordSize(length) > job.slotBytes) {
      this.flush(segment);
      const own = new RecordWriter(new Uint8Array(recordSize(length)), false);
      own.add(from, start, end, lineNo);
      post({ kind: 'records', segment, records: own.records }, [own.records.buffer as ArrayBuffer]);
      return;
    }
    if (this.writer && !this.writer.fits(length)) this.flush(segment);
    this.writer ??= this.acquire();
    this.writer.add(from, start, end, lineNo);
  }

  /** Hands the current slot to the reader. */
  flush(segment: number): void {
    if (!this.writer || this.writer.count === 0) return;
    Atomics.store(control, SLOT.states + this.slot, 1);
    post({ kind: 'slot', segment, slot: this.slot, length: this.writer.used });
    this.slot = (this.slot + 1) % job.slots;
    this.writer = undefined;
  }

  private acquire(): RecordWriter {
    while (Atomics.load(control, SLOT.states + this.slot) !== 0) {
      if (Atomics.load(control, SLOT.stop) !== 0) throw new Stopped();
      Atomics.wait(control, SLOT.states + this.slot, 1, 50);
    }
    const start = this.slot * job.slotBytes;
    return new RecordWriter(data.subarray(start, start + job.slotBytes), false);
  }
}

function run(): void {
  const plan = planNeedles(job.needles);
  if (!plan) throw new Error('the worker scans with needles only');
  const kernel = createKernel(plan, job.chunkBytes);
  // Not reopened by path: the file may have been deleted or renamed since the reader opened it.
  const fd = job.fd;
  const out = new SlotWriter();
  for (;;) {
    if (Atomics.load(control, SLOT.stop) !== 0) return;
    const segment = Atomics.add(control, SLOT.next, 1);
    if (segment >= job.segments) return;
    const from = segment * job.segmentBytes;
    const to = Math.min(job.size, from + job.segmentBytes);
    const match = regionMatcher(kernel);
    let longLines = 0;
    const lines = scanFileRange(
      fd,
      kernel,
      from,
      to,
      job.size,
      job.chunkBytes,
      (start, end, lineBase) => match(start, end, lineBase, (s, e, lineNo) => out.add(kernel.bytes, s, e, lineNo, segment)),
      () => longLines++,
    );
    out.flush(segment);
    post({ kind: 'segment', segment, lines, longLines });
  }
}

try {
  run();
  post({ kind: 'done' });
} catch (err) {
  if (err instanceof Stopped) post({ kind: 'done' });
  else {
    const e = err as NodeJS.ErrnoException;
    post({ kind: 'error', code: e.code, message: e.message ?? String(err) });
  }
}
