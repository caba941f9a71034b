import { describe, expect, it } from 'vitest';
import { traceStats } from '../../src/analyse/stats.js';
import { buildTrace } from './build.js';

describe('traceStats', () => {
  const trace = buildTrace([
    { id: 'a', service: 'frontend', name: 'GET /checkout', start: 0, dur: 100 },
    { id: 'b', parent: 'a', service: 'payment', name: 'charge', start: 10, dur: 40 },
    { id: 'c', parent: 'a', service: 'payment', name: 'charge', start: 20, dur: 40, error: 'card declined' },
    { id: 'd', parent: 'c', service: 'payment', name: 'db', start: 30, dur: 10 },
    { id: 'p', parent: 'a', service: 'ghost', start: 70, dur: 10, placeholder: true },
  ]);
  const stats = traceStats(trace);

  it('aggregates per service, largest self time first', () => {
    expect(stats.byService.map((r) => [r.service, r.count, r.totalMs, r.avgMs, r.maxMs, r.selfMs, r.errors])).toEqual([
      ['payment', 3, 90, 30, 40, 80, 1],
      ['frontend', 1, 100, 100, 100, 40, 0],
    ]);
    expect(stats.byService[0]!.share).toBeCloseTo(0.8);
    expect(stats.placeholdersSkipped).toBe(1);
  });

  it('aggregates per operation', () => {
    expect(stats.byOperation.map((r) => [r.service, r.operation, r.count, r.totalMs, r.selfMs])).toEqual([
      ['payment', 'charge', 2, 80, 70],
      ['frontend', 'GET /checkout', 1, 100, 40],
      ['payment', 'db', 1, 10, 10],
    ]);
  });

  it('lets a share exceed 100% when spans of a service run concurrently', () => {
    const parallel = traceStats(
      buildTrace([
        { id: 'a', service: 'frontend', start: 0, dur: 100 },
        { id: 'b', parent: 'a', service: 'search', start: 0, dur: 100 },
        { id: 'c', parent: 'a', service: 'search', start: 0, dur: 100 },
      ]),
    );
    expect(parallel.byService[0]).toMatchObject({ service: 'search', selfMs: 200, share: 2 });
  });
});
