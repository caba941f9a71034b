import { describe, expect, it } from 'vitest';
import { criticalPath, criticalPathIds, criticalPathShares } from '../../src/analyse/critical-path.js';
import { buildTrace, type SpanSpec } from './build.js';

/** Sections as [spanId, startMs, endMs] for readable expectations. */
function path(specs: SpanSpec[]): Array<[string, number, number]> {
  const trace = buildTrace(specs);
  return criticalPath(trace).map((s) => [s.spanId, Number(s.startNs - trace.startNs) / 1e6, Number(s.endNs - trace.startNs) / 1e6]);
}

describe('criticalPath', () => {
  it('walks sequential children back from the end, latest first', () => {
    expect(
      path([
        { id: 'a', start: 0, dur: 100 },
        { id: 'b', parent: 'a', start: 10, dur: 30 },
        { id: 'c', parent: 'a', start: 50, dur: 40 },
      ]),
    ).toEqual([
      ['a', 90, 100],
      ['c', 50, 90],
      ['a', 40, 50],
      ['b', 10, 40],
      ['a', 0, 10],
    ]);
  });

  it('follows the parallel child that finished last and skips the one hidden behind it', () => {
    expect(
      path([
        { id: 'a', start: 0, dur: 100 },
        { id: 'b', parent: 'a', start: 10, dur: 50 },
        { id: 'c', parent: 'a', start: 10, dur: 70 },
      ]),
    ).toEqual([
      ['a', 80, 100],
      ['c', 10, 80],
      ['a', 0, 10],
    ]);
  });

  it('clips a child sticking out of its parent and drops grandchildren outside the clipped span', () => {
    expect(
      path([
        { id: 'a', start: 0, dur: 100 },
        { id: 'b', parent: 'a', start: 50, dur: 100 },
        { id: 'd', parent: 'b', start: 120, dur: 20 },
        { id: 'e', parent: 'b', start: 60, dur: 30 },
      ]),
    ).toEqual([
      ['b', 90, 100],
      ['e', 60, 90],
      ['b', 50, 60],
      ['a', 0, 50],
    ]);
  });

  it('does not wait on an asynchronous consumer', () => {
    expect(
      path([
        { id: 'a', service: 'orders', start: 0, dur: 100 },
        { id: 'b', parent: 'a', service: 'orders', start: 10, dur: 10 },
        { id: 'q', parent: 'a', service: 'mailer', kind: 'consumer', start: 30, dur: 65 },
      ]),
    ).toEqual([
      ['a', 20, 100],
      ['b', 10, 20],
      ['a', 0, 10],
    ]);
  });

  it('gives each span its share of the trace, in tree order', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', name: 'GET /checkout', start: 0, dur: 100 },
      { id: 'b', parent: 'a', service: 'cart', name: 'load', start: 10, dur: 30 },
      { id: 'c', parent: 'a', service: 'payment', name: 'charge', start: 50, dur: 40 },
      { id: 'x', parent: 'a', service: 'cart', name: 'warm', start: 12, dur: 10 },
    ]);
    const shares = criticalPathShares(trace);
    expect(shares.map((s) => [s.spanId, s.criticalMs, s.share])).toEqual([
      ['a', 30, 0.3],
      ['b', 30, 0.3],
      ['c', 40, 0.4],
    ]);
    expect(shares[1]).toMatchObject({ service: 'cart', name: 'load', depth: 1 });
    expect([...criticalPathIds(criticalPath(trace))].sort()).toEqual(['a', 'b', 'c']);
  });

  it('walks a 100 000-span chain without overflowing the stack', () => {
    const specs: SpanSpec[] = Array.from({ length: 100_000 }, (_, i) => ({
      id: `s${i}`,
      parent: i > 0 ? `s${i - 1}` : undefined,
      start: i * 0.001,
      dur: 200 - i * 0.002,
    }));
    const sections = criticalPath(buildTrace(specs));
    // Every span owns its tail and its head: two sections each, except the innermost.
    expect(new Set(sections.map((s) => s.spanId)).size).toBe(100_000);
    expect(sections[0]!.spanId).toBe('s0');
    expect(sections.at(-1)!.spanId).toBe('s0');
  });
});
