// The scan kernel's contract (kernel.ts) in plain JavaScript: one Buffer.indexOf pass per needle and
// a newline-counting loop. Only for runtimes where the wasm SIMD kernel cannot compile; also the
// executable statement of what the wasm kernel must compute.

import type { ScanKernel } from './kernel.js';
import type { NeedlePlan } from './needle-plan.js';

const NEWLINE = 0x0a;

export class JsKernel implements ScanKernel {
  bytes: Buffer;
  newlines = 0;
  private readonly needles: Buffer[];

  constructor(plan: NeedlePlan, capacity: number) {
    this.needles = plan.needles.map((n) => Buffer.from(n));
    this.bytes = Buffer.alloc(capacity);
  }

  get capacity(): number {
    return this.bytes.length;
  }

  ensureCapacity(min: number): void {
    if (this.bytes.length >= min) return;
    const next = Buffer.alloc(Math.max(min, this.bytes.length * 2));
    this.bytes.copy(next);
    this.bytes = next;
  }

  find(start: number, end: number): number {
    const region = this.bytes.subarray(start, end);
    let first = -1;
    for (const needle of this.needles) {
      const at = region.indexOf(needle);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    const q = first === -1 ? -1 : start + first;
    this.newlines = this.count(start, q === -1 ? end : q);
    return q;
  }

  count(start: number, end: number): number {
    let n = 0;
    for (let i = this.bytes.indexOf(NEWLINE, start); i !== -1 && i < end; i = this.bytes.indexOf(NEWLINE, i + 1)) n++;
    return n;
  }
}
