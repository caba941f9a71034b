// The shapes that OpenTelemetry log bridges produce (span ids, no parent ids, several spans per
// service), as records: in-process spans nest under their own service, entries under the caller
// that logged the call, and clock skew is measured from call pairs before anything is nested.
import { describe, expect, it } from 'vitest';
import { assembleTrace } from '../../src/assemble/assemble.js';
import { adjustClockSkew } from '../../src/analyse/clock-skew.js';
import type { LogRecord, Trace } from '../../src/types.js';
import { rec } from './records.js';

function shape(trace: Trace): string {
  return trace.spans.map((s) => `${'  '.repeat(s.depth)}${s.inferredBy ? `~${s.inferredBy}:` : ''}${s.service}:${s.name}${s.error ? ' ✖' : ''}`).join('\n');
}

/** Gateway → orders (order.process → db.query, then a call to payments); payments' clock `skewMs` ahead. */
function bridgeRun(skewMs: number): LogRecord[] {
  const pay = (ms: number, f: Omit<Partial<LogRecord>, 'service'>) => rec(ms + skewMs, { service: 'payments', ...f });
  return [
    rec(0, { service: 'gateway', spanId: 'g', message: 'incoming request', lineNo: 1 }),
    rec(1, { service: 'gateway', spanId: 'g', message: 'calling orders', attributes: { upstream: 'orders' }, lineNo: 2 }),
    rec(2, { service: 'orders', spanId: 'o', message: 'incoming request', lineNo: 1 }),
    rec(2, { service: 'orders', spanId: 'op', message: 'processing order', spanName: 'order.process', lineNo: 2 }),
    rec(3, { service: 'orders', spanId: 'db', message: 'select', spanName: 'db.query', lineNo: 3 }),
    rec(4, { service: 'orders', spanId: 'db', message: 'selected', durationMs: 1, lineNo: 4 }),
    rec(5, { service: 'orders', spanId: 'op', message: 'calling payments', attributes: { upstream: 'payments' }, lineNo: 5 }),
    pay(6, { spanId: 'p', message: 'incoming request', lineNo: 1 }),
    pay(9, { spanId: 'p', message: 'request completed', durationMs: 3, lineNo: 2 }),
    rec(10, { service: 'orders', spanId: 'op', message: 'payments answered', attributes: { upstream: 'payments' }, lineNo: 6 }),
    rec(11, { service: 'orders', spanId: 'o', message: 'request completed', durationMs: 9, lineNo: 7 }),
    rec(12, { service: 'gateway', spanId: 'g', message: 'request completed', durationMs: 12, lineNo: 3 }),
  ];
}

describe('inference on span ids without parent ids', () => {
  it("nests a service's own spans under its own spans, and entries under the span that logged the call", () => {
    const t = assembleTrace('abc', bridgeRun(0));
    expect(shape(t)).toBe(
      [
        'gateway:incoming request',
        '  ~call:orders:incoming request',
        '    ~containment:orders:order.process',
        '      ~containment:orders:db.query',
        '      ~call:payments:incoming request',
      ].join('\n'),
    );
    expect(t.spans.every((s) => s.clockOffsetMs === 0)).toBe(true);
  });

  it('measures a clock 750 ms ahead from the call pairs, nests right anyway, and the analysis undoes it', () => {
    const t = assembleTrace('abc', bridgeRun(750));
    expect(shape(t)).toBe(shape(assembleTrace('abc', bridgeRun(0))));
    const payments = t.spans.find((s) => s.service === 'payments')!;
    expect(payments.clockOffsetMs).toBeGreaterThan(745);
    expect(payments.clockOffsetMs).toBeLessThan(755);
    const adjusted = adjustClockSkew(t, { maxSkewMs: 1000 });
    const p = adjusted.spans.find((s) => s.service === 'payments')!;
    const op = adjusted.spans.find((s) => s.name === 'order.process')!;
    expect(p.startNs >= op.startNs && p.endNs <= op.endNs).toBe(true);
    expect(adjusted.warnings.join('\n')).toMatch(/payments shifted −75\d ms \(clock skew\)/);
  });

  it('pairs a retry: two calls, two visits of the same service, each under its own call', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'pay', spanId: 'a', message: 'charge', lineNo: 1 }),
      rec(1, { service: 'pay', spanId: 'a', message: 'calling fraud', lineNo: 2 }),
      rec(2, { service: 'fraud', spanId: 'f1', message: 'score', lineNo: 1 }),
      rec(3, { service: 'fraud', spanId: 'f1', level: 'error', message: 'store down', error: 'refused', lineNo: 2 }),
      rec(4, { service: 'pay', spanId: 'a', level: 'warn', message: 'fraud returned 503, retrying', lineNo: 3 }),
      rec(5, { service: 'pay', spanId: 'b', message: 'calling fraud again', spanName: 'retry', lineNo: 4 }),
      rec(6, { service: 'fraud', spanId: 'f2', message: 'score', lineNo: 3 }),
      rec(7, { service: 'fraud', spanId: 'f2', message: 'scored', durationMs: 1, lineNo: 4 }),
      rec(8, { service: 'pay', spanId: 'a', message: 'charged', durationMs: 8, lineNo: 5 }),
    ]);
    const f1 = t.spans.find((s) => s.spanId === 'f1')!;
    const f2 = t.spans.find((s) => s.spanId === 'f2')!;
    expect([f1.parentSpanId, f1.inferredBy]).toEqual(['a', 'call']);
    expect([f2.parentSpanId, f2.inferredBy]).toEqual(['b', 'call']);
  });

  it('never gives a root a parent when its service logs parent ids, even in the same millisecond as its child', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'gw', spanId: 'child', parentSpanId: 'root', message: 'child first', lineNo: 1 }),
      rec(0, { service: 'gw', spanId: 'root', message: 'root', lineNo: 2 }),
      rec(1, { service: 'gw', spanId: 'root', message: 'done', durationMs: 1, lineNo: 3 }),
    ]);
    expect(t.roots.map((s) => s.spanId)).toEqual(['root']);
    expect(t.spans.find((s) => s.spanId === 'root')!.inferredParent).toBe(false);
  });
});
