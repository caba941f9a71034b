// Who reads which unit of the input, agreed between threads through shared memory.
//
// The input is a row of units (byte ranges, in input order) cut into one segment per thread.
// Each thread reads its own segment front to back, so what it reads there is one stretch of the
// input, summarised into one state. A thread that runs out takes units from the back of the
// segment with the most left: threads that the OS (or a slower share of the work) holds back are
// helped, and every segment still ends up as at most two stretches, its front and its stolen back.

/** Units per segment fit in 16 bits: front and back share one Int32 so one CAS claims a unit. */
export const MAX_UNITS_PER_SEGMENT = 0xffff;

export class RangeClaims {
  private readonly cells: Int32Array;

  /** `buffer` from RangeClaims.create, shared with every thread that claims. */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.cells = new Int32Array(buffer);
  }

  /** Segments of consecutive units: `counts[i]` units in segment i, numbered on from the one before. */
  static create(counts: readonly number[]): RangeClaims {
    const claims = new RangeClaims(new SharedArrayBuffer(4 * 2 * counts.length));
    let first = 0;
    for (const [i, count] of counts.entries()) {
      if (count > MAX_UNITS_PER_SEGMENT) throw new RangeError(`a segment holds at most ${MAX_UNITS_PER_SEGMENT} units, not ${count}`);
      claims.cells[2 * i] = first;
      claims.cells[2 * i + 1] = pack(0, count);
      first += count;
    }
    return claims;
  }

  get segments(): number {
    return this.cells.length / 2;
  }

  /** The next unit at the front of segment `s`, or -1 when none is left. */
  claimFront(s: number): number {
    for (;;) {
      const old = Atomics.load(this.cells, 2 * s + 1);
      const front = old & 0xffff;
      const back = old >>> 16;
      if (front >= back) return -1;
      if (Atomics.compareExchange(this.cells, 2 * s + 1, old, pack(front + 1, back)) === old) return this.cells[2 * s]! + front;
    }
  }

  /** The last unit left in segment `s`, or -1 when none is left. */
  claimBack(s: number): number {
    for (;;) {
      const old = Atomics.load(this.cells, 2 * s + 1);
      const front = old & 0xffff;
      const back = old >>> 16;
      if (front >= back) return -1;
      if (Atomics.compareExchange(this.cells, 2 * s + 1, old, pack(front, back - 1)) === old) return this.cells[2 * s]! + back - 1;
    }
  }

  /** The segment with the most units left (-1 when all are claimed): the one to take from. */
  busiest(): number {
    let best = -1;
    let most = 0;
    for (let s = 0; s < this.segments; s++) {
      const cell = Atomics.load(this.cells, 2 * s + 1);
      const left = (cell >>> 16) - (cell & 0xffff);
      if (left > most) {
        most = left;
        best = s;
      }
    }
    return best;
  }

  /** Tells every thread to stop claiming (a reader failed). */
  close(): void {
    for (let s = 0; s < this.segments; s++) Atomics.store(this.cells, 2 * s + 1, 0);
  }
}

function pack(front: number, back: number): number {
  return (front | (back << 16)) | 0;
}
