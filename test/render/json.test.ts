import { describe, expect, it } from 'vitest';
import { renderJson, roundMs, traceToJson } from '../../src/render/json.js';
import { makeStats, makeTrace } from '../support/make-trace.js';
import { checkoutStats, checkoutTrace, inferredTrace, skewTrace } from './fixtures.js';

describe('traceToJson: the --json shape from issue 2', () => {
  const json = traceToJson(checkoutTrace(), checkoutStats);

  it('has the documented top-level fields, in order, plus structure', () => {
    expect(Object.keys(json)).toEqual([
      'traceId', 'startUnixNano', 'durationMs', 'services', 'spanCount', 'errorCount', 'warningCount', 'warnings', 'stats', 'structure', 'spans',
    ]);
    expect(json.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(json.startUnixNano).toBe('1730462400000000000');
    expect(json.durationMs).toBe(1240);
    expect(json.services).toEqual(['api-gateway', 'orders', 'inventory', 'payment', 'notification']);
    expect(json.spanCount).toBe(6);
    expect(json.errorCount).toBe(4);
    expect(json.warnings).toEqual([]);
    expect(json.structure).toBe('parent-ids');
  });

  it('reports stats without bytesRead', () => {
    expect(json.stats).toEqual({ linesRead: 1204, linesMatched: 38, malformedLines: 2 });
  });

  it('lists spans in tree order with every documented field', () => {
    expect(json.spans.map((s) => [s.depth, s.name])).toEqual([
      [0, 'POST /checkout'],
      [1, 'CreateOrder'],
      [2, 'Reserve'],
      [2, 'Charge'],
      [3, 'bank-adapter.call'],
      [1, 'SendReceipt'],
    ]);
    expect(json.spans[0]).toEqual({
      spanId: 'a1000000000000a1',
      parentSpanId: null,
      service: 'api-gateway',
      name: 'POST /checkout',
      startUnixNano: '1730462400000000000',
      durationMs: 1240,
      depth: 0,
      logCount: 2,
      error: true,
      errorMessage: 'upstream payment failed',
      inferredParent: false,
      placeholder: false,
      httpStatus: 502,
      errorOrigin: false,
    });
    expect(json.spans[4]).toMatchObject({
      spanId: 'f6000000000000f6',
      parentSpanId: 'e5000000000000e5',
      startUnixNano: '1730462400075000000',
      errorMessage: 'dial tcp 10.0.3.7:443: i/o timeout after 1000ms',
      errorOrigin: true,
    });
  });

  it('omits errorMessage on spans without an error, and keeps null for an error without one', () => {
    expect(json.spans[2]).not.toHaveProperty('errorMessage');
    const trace = makeTrace({ spans: [{ id: 'x', service: 's', start: 0, duration: 1, error: true }] });
    expect(traceToJson(trace, makeStats()).spans[0]).toMatchObject({ error: true, errorMessage: null });
  });

  it('keeps 19-digit start times exact as strings', () => {
    const trace = checkoutTrace();
    trace.startNs = 1730462400123456789n;
    trace.spans[0]!.startNs = 1730462400123456789n;
    const out = traceToJson(trace, checkoutStats);
    expect(out.startUnixNano).toBe('1730462400123456789');
    expect(out.spans[0]!.startUnixNano).toBe('1730462400123456789');
  });

  it('marks inferred edges and placeholders', () => {
    const spans = traceToJson(inferredTrace(), makeStats()).spans;
    expect(spans.map((s) => [s.spanId, s.inferredParent, s.placeholder])).toEqual([
      ['root', false, false],
      ['p1', true, false],
      ['ghost', false, true],
      ['q1', false, false],
    ]);
  });

  it('adds skewShiftMs and outlivesParent only where they apply', () => {
    const out = traceToJson(skewTrace(), makeStats());
    expect(out.warnings).toEqual(['ledger shifted −750ms (clock skew)']);
    expect(out.spans[0]).not.toHaveProperty('skewShiftMs');
    expect(out.spans[0]).not.toHaveProperty('outlivesParent');
    expect(out.spans[1]).toMatchObject({ skewShiftMs: -750 });
    expect(out.spans[1]).not.toHaveProperty('outlivesParent');
    expect(out.spans[2]).toMatchObject({ outlivesParent: true });
  });

  it('rounds durations to the microsecond', () => {
    expect(roundMs(12.3456789)).toBe(12.346);
    expect(roundMs(0.0004)).toBe(0);
    expect(roundMs(-0.0001)).toBe(0);
    const trace = makeTrace({ spans: [{ id: 'x', service: 's', start: 0, duration: 1.23456 }] });
    expect(traceToJson(trace, makeStats()).spans[0]!.durationMs).toBe(1.235);
  });
});

describe('renderJson', () => {
  it('prints one JSON object that parses back to traceToJson', () => {
    const text = renderJson(checkoutTrace(), checkoutStats);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(traceToJson(checkoutTrace(), checkoutStats));
  });

  it('escapes terminal-unsafe characters yet round-trips them', () => {
    const name = 'a\u001b[2J\u009b\u202eb\u2028';
    const trace = makeTrace({ spans: [{ id: 'x', service: 's', name, start: 0, duration: 1 }] });
    const text = renderJson(trace, makeStats());
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(text).toContain('a\\u001b[2J\\u009b\\u202eb\\u2028');
    expect(JSON.parse(text).spans[0].name).toBe(name);
  });
});
