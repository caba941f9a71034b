// What the main thread and a file-scan worker say to each other (file-scan.ts, file-worker.ts).
//
// Matched lines travel through a fixed set of shared-memory slots, not transferred buffers: a
// fresh ArrayBuffer per batch is freed only when the reader's heap is collected, and with most
// lines matching those buffers piled up (measured 120 MB external memory, 300 MB peak RSS).
// The slots also bound memory: when all are full, the worker waits for the reader.

/** Int32 slots of the shared control array. */
export const SLOT = {
  /** Next segment to claim (Atomics.add by whoever takes one). */
  next: 0,
  /** Set to 1 when the reader stops early: the worker quits at its next check. */
  stop: 1,
  /** First of the per-slot states: 0 free (the worker may fill it), 1 full (the reader's). */
  states: 2,
} as const;

/** Defaults: 8 slots of 256 KiB, 2 MiB in all. */
export const SLOT_BYTES = 256 << 10;
export const SLOTS = 8;

export interface WorkerJob {
  path: string;
  /** The reader's descriptor for `path`: descriptors belong to the process, so the worker reads the same open file. */
  fd: number;
  needles: string[];
  size: number;
  segmentBytes: number;
  segments: number;
  chunkBytes: number;
  /** Int32 control array: SLOT.states + slots entries. */
  control: SharedArrayBuffer;
  /** slots × slotBytes of records (hit-batch.ts). */
  data: SharedArrayBuffer;
  slots: number;
  slotBytes: number;
}

export type WorkerMessage =
  /** Records of `segment` in slot `slot`, `length` bytes; the reader frees the slot after decoding. */
  | { kind: 'slot'; segment: number; slot: number; length: number }
  /** A line too long for a slot, as records in a buffer of its own. */
  | { kind: 'records'; segment: number; records: Uint8Array }
  /** `segment` is done: its lines, of which `longLines` were skipped for their length (line-limit.ts). */
  | { kind: 'segment'; segment: number; lines: number; longLines: number }
  | { kind: 'done' }
  | { kind: 'error'; code?: string; message: string };
