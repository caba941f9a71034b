import { describe, expect, it } from 'vitest';
import { planNeedles } from '../../src/sources/scan/needle-plan.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('planNeedles', () => {
  it('means no filter without needles', () => {
    expect(planNeedles(undefined)).toBeNull();
    expect(planNeedles([])).toBeNull();
    expect(planNeedles(['', ''])).toBeNull();
  });

  it('keeps a minimal set: no duplicates, no needle containing another', () => {
    const plan = planNeedles(['abcdef0123', 'abcdef0123', 'xxabcdef0123yy', 'zz'])!;
    expect(plan.needles.map(text).sort()).toEqual(['abcdef0123', 'zz']);
  });

  it('drops needles with a newline: a line cannot contain one', () => {
    expect(planNeedles(['a\nb'])!.needles).toEqual([]);
    expect(planNeedles(['a\nb', 'cd'])!.needles.map(text)).toEqual(['cd']);
  });

  it('groups needles equal ignoring case, folding loads only where the cases differ', () => {
    const plan = planNeedles(['a3ce929d0e0e4736', 'A3CE929D0E0E4736', '11803532876627986230'])!;
    expect(plan.groups).toHaveLength(2);
    expect(plan.offsets).toHaveLength(3);
    expect(plan.offsets.every((o) => o < 16)).toBe(true);
    plan.offsets.forEach((o, i) => {
      const letter = /[a-f]/.test('a3ce929d0e0e4736'[o]!);
      expect(plan.fold[i]).toBe(letter);
    });
  });

  it('fits the probes into the shortest needle', () => {
    expect(planNeedles(['q'])!.offsets).toEqual([0]);
    expect(planNeedles(['qz', 'abcdefgh'])!.offsets).toEqual([0, 1]);
  });
});
