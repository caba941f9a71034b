// Worker thread for scanning a large plain file alongside the main thread (see file-scan.ts).
// It claims segments from the shared counter, scans each with its own kernel, and posts the
// matched lines as raw bytes. Nothing here decodes text: the reader does, in line order.

import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { scanFileRange } from './file-range.js';
import { HitBatchBuilder } from './hit-batch.js';
import { createKernel } from './kernel.js';
import { planNeedles } from './needle-plan.js';
import { matchLines } from './region-scan.js';
import { SLOT, type WorkerJob, type WorkerMessage } from './protocol.js';

const job = workerData as WorkerJob;
const shared = new Int32Array(job.shared);
const post = (msg: WorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(msg, transfer);

/** Waits while the reader holds too many of our bytes undecoded: memory stays bounded. */
function sendBatch(builder: HitBatchBuilder, segment: number): void {
  const batch = builder.take(segment);
  let outstanding = Atomics.add(shared, SLOT.outstanding, batch.bytes.byteLength) + batch.bytes.byteLength;
  post({ kind: 'batch', batch }, [batch.bytes.buffer as ArrayBuffer, batch.index.buffer as ArrayBuffer]);
  while (outstanding > job.maxOutstandingBytes && Atomics.load(shared, SLOT.stop) === 0) {
    Atomics.wait(shared, SLOT.outstanding, outstanding, 50);
    outstanding = Atomics.load(shared, SLOT.outstanding);
  }
}

function run(): void {
  const plan = planNeedles(job.needles);
  if (!plan) throw new Error('the worker scans with needles only');
  const kernel = createKernel(plan, job.chunkBytes);
  const fd = openSync(job.path, 'r');
  try {
    const builder = new HitBatchBuilder();
    for (;;) {
      if (Atomics.load(shared, SLOT.stop) !== 0) return;
      const segment = Atomics.add(shared, SLOT.next, 1);
      if (segment >= job.segments) return;
      const from = segment * job.segmentBytes;
      const to = Math.min(job.size, from + job.segmentBytes);
      const lines = scanFileRange(fd, kernel, from, to, job.size, job.chunkBytes, (start, end, lineBase) =>
        matchLines(kernel, start, end, lineBase, (s, e, lineNo) => {
          builder.add(kernel.bytes, s, e, lineNo);
          if (builder.byteLength >= job.batchBytes) sendBatch(builder, segment);
        }),
      );
      if (builder.lineCount > 0) sendBatch(builder, segment);
      post({ kind: 'segment', segment, lines });
    }
  } finally {
    closeSync(fd);
  }
}

try {
  run();
  post({ kind: 'done' });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  post({ kind: 'error', code: e.code, message: e.message ?? String(err) });
}
