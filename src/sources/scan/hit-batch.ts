// Matched lines as raw bytes, for holding them or moving them between threads without creating
// a string (or any object) per line: packed records of [u32 length][u32 line number][bytes].
// Decoded to strings only by the reader, when it is the lines' turn.

import type { RawLine } from '../../types.js';

const HEADER = 8;

/** Records of one segment's lines; line numbers are 1-based within the segment. */
export interface HitBatch {
  segment: number;
  records: Uint8Array;
  /** Gives the memory back (a shared slot, a pooled buffer) once decoded. */
  release?: () => void;
}

/** Bytes a record for a line of `length` bytes takes. */
export function recordSize(length: number): number {
  return HEADER + length;
}

/** Appends records to a buffer: a fixed one (a shared slot) or one it grows. */
export class RecordWriter {
  private view: DataView;
  used = 0;
  count = 0;

  constructor(
    private target: Uint8Array,
    private readonly growable: boolean,
  ) {
    this.view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  }

  fits(length: number): boolean {
    return this.growable || this.used + recordSize(length) <= this.target.length;
  }

  add(from: Uint8Array, start: number, end: number, lineNo: number): void {
    const length = end - start;
    if (this.used + recordSize(length) > this.target.length) {
      if (!this.growable) throw new Error('internal: record does not fit its slot');
      const next = new Uint8Array(Math.max(this.used + recordSize(length), this.target.length * 2));
      next.set(this.target.subarray(0, this.used));
      this.target = next;
      this.view = new DataView(next.buffer);
    }
    this.view.setUint32(this.used, length, true);
    this.view.setUint32(this.used + 4, lineNo, true);
    this.target.set(from.subarray(start, end), this.used + HEADER);
    this.used += recordSize(length);
    this.count++;
  }

  /** The records written so far (a view: valid until the buffer is reused). */
  get records(): Uint8Array {
    return this.target.subarray(0, this.used);
  }

  /** The whole buffer, for reuse. */
  get buffer(): Uint8Array {
    return this.target;
  }
}

/** The lines of a batch as RawLines numbered from lineBase. */
export function decodeRecords(records: Uint8Array, lineBase: number, origin: string, labels: Record<string, string> | undefined): RawLine[] {
  const bytes = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const out: RawLine[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32LE(at);
    const lineNo = bytes.readUInt32LE(at + 4);
    const raw: RawLine = { text: bytes.toString('utf8', at + HEADER, at + HEADER + length), origin, lineNo: lineBase + lineNo };
    if (labels) raw.labels = labels;
    out.push(raw);
    at += recordSize(length);
  }
  return out;
}
