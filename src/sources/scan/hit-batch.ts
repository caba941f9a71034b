// Matched lines as raw bytes, for moving them between threads: one byte buffer and a table of
// (start, end, lineNo) triples. Transferred, not cloned; decoded to strings only by the reader.

export interface HitBatch {
  /** Segment the lines belong to; line numbers are 1-based within it. */
  segment: number;
  bytes: Uint8Array;
  /** start, end, lineNo for each line, into `bytes`. */
  index: Int32Array;
}

export class HitBatchBuilder {
  private bytes: Uint8Array = new Uint8Array(64 * 1024);
  private index = new Int32Array(3 * 256);
  private used = 0;
  private count = 0;

  get byteLength(): number {
    return this.used;
  }

  get lineCount(): number {
    return this.count;
  }

  add(from: Uint8Array, start: number, end: number, lineNo: number): void {
    const len = end - start;
    if (this.used + len > this.bytes.length) this.bytes = grow(this.bytes, this.used + len);
    if (3 * (this.count + 1) > this.index.length) {
      const next = new Int32Array(this.index.length * 2);
      next.set(this.index);
      this.index = next;
    }
    this.bytes.set(from.subarray(start, end), this.used);
    this.index[3 * this.count] = this.used;
    this.index[3 * this.count + 1] = this.used + len;
    this.index[3 * this.count + 2] = lineNo;
    this.used += len;
    this.count++;
  }

  /** The lines so far as a batch of their own (exactly sized, safe to transfer); starts afresh. */
  take(segment: number): HitBatch {
    const batch = { segment, bytes: this.bytes.slice(0, this.used), index: this.index.slice(0, 3 * this.count) };
    this.used = 0;
    this.count = 0;
    return batch;
  }
}

function grow(bytes: Uint8Array, min: number): Uint8Array {
  const next = new Uint8Array(Math.max(min, bytes.length * 2));
  next.set(bytes);
  return next;
}
