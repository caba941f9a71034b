// What the main thread and a file-scan worker say to each other (file-scan.ts, file-worker.ts).

import type { HitBatch } from './hit-batch.js';

/** Int32 slots of the shared array. */
export const SLOT = {
  /** Next segment to claim (Atomics.add by whoever takes one). */
  next: 0,
  /** Bytes of matched lines posted by the worker and not yet decoded by the reader. */
  outstanding: 1,
  /** Set to 1 when the reader stops early: the worker quits at its next check. */
  stop: 2,
} as const;
export const SHARED_SLOTS = 3;

/** A worker posts a batch once it holds this many bytes of matched lines. */
export const BATCH_BYTES = 1 << 20;
/** …and pauses while more than this is posted but not yet decoded (bounds memory when most lines match). */
export const MAX_OUTSTANDING_BYTES = 8 << 20;

export interface WorkerJob {
  path: string;
  needles: string[];
  size: number;
  segmentBytes: number;
  segments: number;
  chunkBytes: number;
  batchBytes: number;
  maxOutstandingBytes: number;
  shared: SharedArrayBuffer;
}

export type WorkerMessage =
  | { kind: 'batch'; batch: HitBatch }
  | { kind: 'segment'; segment: number; lines: number }
  | { kind: 'done' }
  | { kind: 'error'; code?: string; message: string };
