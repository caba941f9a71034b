import { describe, expect, it } from 'vitest';
import { createKernel, type ScanKernel } from '../../src/sources/scan/kernel.js';
import { planNeedles } from '../../src/sources/scan/needle-plan.js';
import { prng } from './support/reference.js';

/** Every (position, newlines-before) the kernel reports walking [start, end) match by match. */
function walk(kernel: ScanKernel, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let p = start;
  while (p < end) {
    const q = kernel.find(p, end);
    out.push([q, kernel.newlines]);
    if (q < 0) break;
    p = q + 1;
  }
  return out;
}

describe('scan kernel', () => {
  it('agrees with the JavaScript statement of its contract on random regions', () => {
    const rand = prng(3);
    const lo = 'a3ce929d0e0e4736';
    const needleSets = [
      [lo, lo.toUpperCase(), BigInt(`0x${lo}`).toString()],
      ['0123456789abcdef0123456789abcdef-x', 'Zq'],
      ['q'],
      ['1764061200123-1a2b3c4d', '1764061200123-1A2B3C4D'],
    ];
    for (const needles of needleSets) {
      const plan = planNeedles(needles)!;
      const pieces = [...needles, ...needles.map((n) => n.slice(1)), ...needles.map((n) => n.slice(0, -1)), '\n', '\n\n', 'abc', '7', '9', '"'];
      let text = '';
      while (text.length < 20_000) text += pieces[Math.floor(rand() * pieces.length)];
      const wasm = createKernel(plan, 32_768);
      const js = createKernel(plan, 32_768, false);
      wasm.bytes.write(text, 0, 'latin1');
      js.bytes.write(text, 0, 'latin1');
      for (let round = 0; round < 200; round++) {
        const start = Math.floor(rand() * text.length);
        const end = Math.min(text.length, start + Math.floor(rand() * 600));
        expect({ needles, start, end, got: walk(wasm, start, end) }).toEqual({ needles, start, end, got: walk(js, start, end) });
      }
      expect(walk(wasm, 0, text.length)).toEqual(walk(js, 0, text.length));
    }
  });

  it('never reports a needle that runs past the region end', () => {
    const plan = planNeedles(['abcdefgh'])!;
    const kernel = createKernel(plan, 4096);
    kernel.bytes.write('xx\nabcdefgh', 0, 'latin1');
    expect(kernel.find(0, 10)).toBe(-1);
    expect(kernel.newlines).toBe(1);
    expect(kernel.find(0, 11)).toBe(3);
    expect(kernel.newlines).toBe(1);
  });
});
