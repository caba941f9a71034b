import { describe, expect, it } from 'vitest';
import { criticalPathShares } from '../../src/analyse/critical-path.js';
import { traceStats } from '../../src/analyse/stats.js';
import { renderCriticalPath } from '../../src/render/critical-path.js';
import { renderStats } from '../../src/render/stats-table.js';
import { buildTrace } from './build.js';

const trace = buildTrace([
  { id: 'a', service: 'frontend', name: 'GET /checkout', start: 0, dur: 100 },
  { id: 'b', parent: 'a', service: 'cart', name: 'load cart', start: 10, dur: 30 },
  { id: 'c', parent: 'a', service: 'payment', name: 'charge', start: 50, dur: 40, error: 'card declined' },
  { id: 'd', parent: 'a', service: 'cart', name: 'warm\u001b[2Jcache', start: 12, dur: 10 },
]);

describe('renderStats', () => {
  const text = renderStats(traceStats(trace), { color: false, width: 100 });

  it('prints a table per service and per operation with formatted figures', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('By service (trace 100ms, 4 spans)');
    expect(lines).toContain('│ frontend │     1 │  100ms │  100ms │  100ms │ 30.0ms │   30.0% │      0 │');
    expect(lines).toContain('│ cart     │     2 │ 40.0ms │ 20.0ms │ 30.0ms │ 40.0ms │   40.0% │      0 │');
    expect(lines).toContain('│ payment  │     1 │ 40.0ms │ 40.0ms │ 40.0ms │ 40.0ms │   40.0% │      1 │');
    expect(text).toContain('By operation');
    expect(text).toMatch(/│ cart +│ load cart +│ +1 │ 30\.0ms │/);
  });

  it('explains that shares can exceed 100%, and escapes log-derived names', () => {
    // The note is wrapped to the width, continuation lines indented.
    expect(text.replace(/\n  /g, ' ')).toContain('can exceed 100% when spans of a group ran concurrently');
    expect(text).toContain('warm\\x1b[2Jcache');
    expect(text).not.toContain('\u001b');
  });
});

describe('renderCriticalPath', () => {
  it('lists the path in tree order with each span’s time and share', () => {
    const text = renderCriticalPath(criticalPathShares(trace), { color: false, traceDurationMs: trace.durationMs });
    expect(text).toBe(
      [
        'Critical path: 3 spans, 100ms of 100ms',
        ' share    time  span',
        ' 30.0%  30.0ms  frontend GET /checkout',
        ' 30.0%  30.0ms    cart load cart',
        ' 40.0%  40.0ms    payment charge',
        '',
      ].join('\n'),
    );
  });
});
