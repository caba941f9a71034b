import { describe, expect, it } from 'vitest';
import { adjustClockSkew } from '../../src/analyse/clock-skew.js';
import { T0, buildTrace, ms, span, startMs } from './build.js';

const MINUS = '\u2212';
const opts = { maxSkewMs: 1000 };

describe('adjustClockSkew', () => {
  it('leaves a child that fits inside its parent alone', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 0, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 10, dur: 50 },
    ]);
    const out = adjustClockSkew(trace, opts);
    expect(startMs(span(out, 'b'))).toBe(10);
    expect(span(out, 'b').skewShiftMs).toBe(0);
    expect(out.warnings).toEqual([]);
  });

  it('centres a child on another host that starts before its parent, and says so', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 1000, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 1000 + 10 - 750 - 25, dur: 50 },
    ]);
    // b is 50 ms inside a 100 ms parent: centred, it starts at 1025.
    const out = adjustClockSkew(trace, opts);
    const b = span(out, 'b');
    expect(startMs(b)).toBe(1025);
    expect(b.skewShiftMs).toBe(790);
    expect(b.endNs - b.startNs).toBe(50_000_000n);
    expect(out.warnings).toContain('payment-service shifted +790 ms (clock skew)');
  });

  it('uses the real minus sign for a backwards shift and moves the log lines too', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 0, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 775, dur: 50 },
    ]);
    const out = adjustClockSkew(trace, opts);
    const b = span(out, 'b');
    expect(startMs(b)).toBe(25);
    expect(b.skewShiftMs).toBe(-750);
    expect(out.warnings).toEqual([`payment-service shifted ${MINUS}750 ms (clock skew)`]);
    expect(b.records.map((r) => r.timeNs)).toEqual([ms(25), ms(75)]);
    // The trace's merged lines follow, still in time order.
    expect(out.records.map((r) => r.timeNs)).toEqual([ms(0), ms(25), ms(75), ms(100)]);
    expect(out.endNs).toBe(ms(100));
    expect(out.durationMs).toBe(100);
  });

  it('only moves a child longer than its parent so that it does not start first', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 100, dur: 50 },
      { id: 'b', parent: 'a', service: 'worker', start: 40, dur: 200 },
    ]);
    const out = adjustClockSkew(trace, opts);
    expect(startMs(span(out, 'b'))).toBe(100);
    expect(span(out, 'b').skewShiftMs).toBe(60);
  });

  it('warns but does not shift beyond the maximum skew', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 5000, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 10, dur: 50 },
    ]);
    const out = adjustClockSkew(trace, opts);
    expect(startMs(span(out, 'b'))).toBe(10);
    expect(span(out, 'b').skewShiftMs).toBe(0);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/^payment-service looks \+5015 ms off \(clock skew\), more than the 1000 ms maximum; not adjusted$/);
  });

  it('marks a child that started inside its parent and ended after it as outliving it, unshifted', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 0, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 60, dur: 90 },
    ]);
    const out = adjustClockSkew(trace, opts);
    const b = span(out, 'b');
    expect(startMs(b)).toBe(60);
    expect(b.skewShiftMs).toBe(0);
    expect(b.outlivesParent).toBe(true);
    expect(span(out, 'a').outlivesParent).toBe(false);
    expect(out.warnings).toEqual([]);
  });

  it('moves the whole subtree on the shifted host together, and re-measures a new host below it', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 0, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 510, dur: 80 },
      { id: 'c', parent: 'b', service: 'payment-service', start: 520, dur: 30 },
      { id: 'd', parent: 'c', service: 'payment-service', start: 525, dur: 10 },
      { id: 'e', parent: 'b', service: 'ledger', start: 100, dur: 20 },
    ]);
    const out = adjustClockSkew(trace, opts);
    expect(span(out, 'b').skewShiftMs).toBe(-500);
    expect(startMs(span(out, 'c'))).toBe(20);
    expect(startMs(span(out, 'd'))).toBe(25);
    expect(span(out, 'd').skewShiftMs).toBe(-500);
    // ledger's own clock: centred in b (10..90), so 20 ms in the middle starts at 40.
    expect(startMs(span(out, 'e'))).toBe(40);
    expect(span(out, 'e').skewShiftMs).toBe(-60);
    // Only the spans where a shift was decided are announced.
    expect(out.warnings).toEqual([`payment-service shifted ${MINUS}500 ms (clock skew)`, `ledger shifted ${MINUS}60 ms (clock skew)`]);
    // Children are re-ordered by their new start: e came first, now starts after c.
    expect(span(trace, 'b').children.map((s) => s.spanId)).toEqual(['e', 'c']);
    expect(span(out, 'b').children.map((s) => s.spanId)).toEqual(['c', 'e']);
    expect(out.spans.map((s) => s.spanId)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('uses the host field, not the service, as the clock: same host means same clock', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', host: 'node-1', start: 0, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', host: 'node-1', start: 200, dur: 50 },
    ]);
    const out = adjustClockSkew(trace, opts);
    expect(startMs(span(out, 'b'))).toBe(200);
    expect(out.warnings).toEqual([]);
  });

  it('ignores overhangs within the tolerance (millisecond clocks)', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 10, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 9, dur: 101.5 },
    ]);
    expect(startMs(span(adjustClockSkew(trace, opts), 'b'))).toBe(9);
    // With no tolerance the same overhang is treated as skew.
    expect(startMs(span(adjustClockSkew(trace, { maxSkewMs: 1000, toleranceMs: 0 }), 'b'))).toBe(10);
  });

  it('never adjusts across a producer→consumer edge', () => {
    const trace = buildTrace([
      { id: 'a', service: 'orders', kind: 'producer', start: 0, dur: 5 },
      { id: 'b', parent: 'a', service: 'mailer', kind: 'consumer', start: 400, dur: 50 },
    ]);
    const out = adjustClockSkew(trace, opts);
    expect(startMs(span(out, 'b'))).toBe(400);
    expect(span(out, 'b').outlivesParent).toBe(false);
    expect(out.warnings).toEqual([]);
  });

  it('does not mutate its input', () => {
    const trace = buildTrace([
      { id: 'a', service: 'frontend', start: 0, dur: 100 },
      { id: 'b', parent: 'a', service: 'payment-service', start: 775, dur: 50 },
      { id: 'c', parent: 'a', service: 'frontend', start: 60, dur: 80 },
    ]);
    const before = JSON.stringify(trace, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    adjustClockSkew(trace, opts);
    expect(JSON.stringify(trace, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
    expect(trace.roots[0]!.startNs).toBe(T0);
  });

  it('handles a 100 000-deep chain without recursion', () => {
    const specs = Array.from({ length: 100_000 }, (_, i) => ({
      id: `s${i}`,
      parent: i > 0 ? `s${i - 1}` : undefined,
      service: i % 2 ? 'odd' : 'even',
      start: i * 0.001,
      dur: 200 - i * 0.001,
    }));
    const out = adjustClockSkew(buildTrace(specs), opts);
    expect(out.spans).toHaveLength(100_000);
    expect(out.spans[99_999]!.spanId).toBe('s99999');
  });
});
