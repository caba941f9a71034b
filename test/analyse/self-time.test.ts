import { describe, expect, it } from 'vitest';
import { selfTimeMs, selfTimes } from '../../src/analyse/self-time.js';
import { buildTrace, span } from './build.js';

describe('self time', () => {
  it('counts overlapping children once and clips children to the span', () => {
    const trace = buildTrace([
      { id: 'a', start: 0, dur: 100 },
      { id: 'b', parent: 'a', start: 10, dur: 30 }, // 10..40
      { id: 'c', parent: 'a', start: 30, dur: 30 }, // 30..60, overlaps b
      { id: 'd', parent: 'a', start: 90, dur: 30 }, // 90..120, sticks out
      { id: 'e', parent: 'a', start: 15, dur: 5 }, // inside b
    ]);
    // covered: 10..60 and 90..100 = 60 ms
    expect(selfTimeMs(span(trace, 'a'))).toBe(40);
    expect(selfTimeMs(span(trace, 'b'))).toBe(30);
    expect(selfTimes(trace).get(span(trace, 'd'))).toBe(30);
  });

  it('is never negative, and zero when children cover the span', () => {
    const trace = buildTrace([
      { id: 'a', start: 0, dur: 50 },
      { id: 'b', parent: 'a', start: 0, dur: 50 },
      { id: 'c', parent: 'a', start: 0, dur: 80 },
    ]);
    expect(selfTimeMs(span(trace, 'a'))).toBe(0);
  });
});
