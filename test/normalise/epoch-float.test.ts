import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/normalise/time.js';

// Fractional epoch seconds take a fast path in time.ts: it must read the digits the producer
// wrote (the shortest round-trip text), never `n * 1e9` with its float error.
describe('fractional epoch seconds', () => {
  it.each([
    [1764063629.515096, 1764063629515096000n],
    [1717243200.5, 1717243200500000000n],
    [1717243200.123456789, 1717243200123456700n], // the double keeps 1717243200.1234567
    [12.25, 12250000000n],
    [0.5, 500000000n],
    [1.0000000001, 1000000000n], // a 10th digit is below a nanosecond: cut
    [99999999999.99, 99999999999990000000n],
  ])('%s s → %s ns', (seconds, ns) => {
    expect(parseTime(seconds)).toBe(ns);
  });
});
