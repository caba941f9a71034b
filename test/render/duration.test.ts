import { describe, expect, it } from 'vitest';
import { formatDuration, formatOffset, formatShift } from '../../src/render/duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [0.012, '12µs'],
    [0.0004, '1µs'],
    [0.4, '0.4ms'],
    [12.34, '12.3ms'],
    [99.94, '99.9ms'],
    [99.96, '100ms'],
    [750, '750ms'],
    [999.4, '999ms'],
    [999.6, '1.00s'],
    [1200, '1.20s'],
    [12_345, '12.35s'],
    [59_994, '59.99s'],
    [59_996, '1m00s'],
    [123_000, '2m03s'],
    [3_599_600, '1h00m'],
    [3_720_000, '1h02m'],
    [-750, '−750ms'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatOffset and formatShift', () => {
  it('signs offsets from the trace start', () => {
    expect(formatOffset(0)).toBe('+0ms');
    expect(formatOffset(12.3)).toBe('+12.3ms');
    expect(formatOffset(-3)).toBe('−3.0ms');
  });
  it('signs shifts both ways', () => {
    expect(formatShift(-750)).toBe('−750ms');
    expect(formatShift(250)).toBe('+250ms');
  });
});
