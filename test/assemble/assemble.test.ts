import { describe, expect, it } from 'vitest';
import { assembleTrace } from '../../src/assemble/assemble.js';
import type { Trace } from '../../src/types.js';
import { BASE_NS, rec } from './records.js';

/** The tree as indented `service:name` lines, with `~` on inferred edges: easy to read in a diff. */
function shape(trace: Trace): string {
  return trace.spans
    .map((s) => `${'  '.repeat(s.depth)}${s.inferredParent ? '~' : ''}${s.service}:${s.name}${s.error ? ' ✖' : ''}${s.errorOrigin ? ' ◀' : ''}${s.placeholder ? ' (placeholder)' : ''}`)
    .join('\n');
}

describe('assembleTrace with parent ids', () => {
  const records = [
    rec(0, { service: 'gateway', spanId: 'g1', message: 'request received', http: { method: 'POST', route: '/api/orders' } }),
    rec(2, { service: 'orders', spanId: 'o1', parentSpanId: 'g1', message: 'request started', http: { method: 'POST', route: '/v1/orders' } }),
    rec(5, { service: 'payments', spanId: 'p1', parentSpanId: 'o1', message: 'charging', spanName: 'charge' }),
    rec(9, { service: 'fraud', spanId: 'f1', parentSpanId: 'p1', message: 'scoring' }),
    rec(30, { service: 'fraud', spanId: 'f1', parentSpanId: 'p1', level: 'error', message: 'feature store down', error: 'connection refused' }),
    rec(31, { service: 'payments', spanId: 'p1', parentSpanId: 'o1', level: 'error', message: 'charge failed', http: { status: 502 }, durationMs: 26 }),
    rec(3, { service: 'orders', spanId: 'o2', parentSpanId: 'o1', message: 'reserve stock', spanName: 'reserve' }),
    rec(4, { service: 'orders', spanId: 'o2', parentSpanId: 'o1', message: 'reserved', durationMs: 1 }),
    rec(33, { service: 'orders', spanId: 'o1', parentSpanId: 'g1', level: 'error', message: 'request completed', http: { status: 500 }, durationMs: 31 }),
    rec(35, { service: 'gateway', spanId: 'g1', message: 'request completed', http: { status: 500 }, durationMs: 35 }),
  ];
  const trace = assembleTrace('abc', records);

  it('builds the tree from logged parents, children by start, and marks the deepest first failure', () => {
    expect(shape(trace)).toBe(
      [
        'gateway:POST /api/orders ✖',
        '  orders:POST /v1/orders ✖',
        '    orders:reserve',
        '    payments:charge ✖',
        '      fraud:scoring ✖ ◀',
      ].join('\n'),
    );
    expect(trace.structure).toBe('parent-ids');
    expect(trace.warnings).toEqual([]);
    expect(trace.services).toEqual(['gateway', 'orders', 'payments', 'fraud']);
    expect(trace.errorCount).toBe(4);
  });

  it('takes an explicit duration over first-to-last timestamps', () => {
    const payments = trace.spans.find((s) => s.spanId === 'p1')!;
    expect(payments.durationMs).toBe(26);
    expect(payments.startNs).toBe(BASE_NS + 5_000_000n);
    const gateway = trace.spans[0]!;
    expect(gateway.durationMs).toBe(35);
    expect(trace.durationMs).toBe(35);
  });

  it('keeps the explicit error message and falls back to HTTP status or level', () => {
    expect(trace.spans.find((s) => s.spanId === 'f1')!.errorMessage).toBe('connection refused');
    expect(trace.spans.find((s) => s.spanId === 'g1')!.errorMessage).toBe('HTTP 500');
  });

  it('shows a parent that was referenced but never logged as a placeholder', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'orders', spanId: 'o1', parentSpanId: 'missing', message: 'a' }),
      rec(1, { service: 'payments', spanId: 'p1', parentSpanId: 'missing', message: 'b' }),
    ]);
    expect(shape(t)).toBe(['unknown:(not logged) (placeholder)', '  orders:a', '  payments:b'].join('\n'));
    expect(t.warnings.join()).toMatch(/1 parent span was referenced but never logged/);
    expect(t.services).toEqual(['orders', 'payments']);
  });

  it('breaks a parent-id loop instead of losing its spans', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'a', spanId: 'x', parentSpanId: 'y', message: 'x' }),
      rec(1, { service: 'b', spanId: 'y', parentSpanId: 'x', message: 'y' }),
    ]);
    expect(t.spans).toHaveLength(2);
    expect(shape(t)).toBe(['a:x', '  b:y'].join('\n'));
    expect(t.warnings.join()).toMatch(/loop/);
  });

  it('splits a span id shared by client and server (B3) into one span per service', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'orders', spanId: 's1', message: 'calling payments' }),
      rec(1, { service: 'payments', spanId: 's1', message: 'handling charge' }),
      rec(5, { service: 'orders', spanId: 's1', message: 'done' }),
    ]);
    expect(shape(t)).toBe(['orders:calling payments', '  payments:handling charge'].join('\n'));
  });

  it('does not count a client-side gRPC cancel or a 4xx as an error', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'a', spanId: 'x', message: 'call', grpc: { code: 1 } }),
      rec(1, { service: 'a', spanId: 'x', message: 'declined', http: { status: 402 }, level: 'warn' }),
    ]);
    expect(t.errorCount).toBe(0);
    const failing = assembleTrace('abc', [rec(0, { service: 'a', spanId: 'x', message: 'call', grpc: { code: 14 } })]);
    expect(failing.spans[0]!.errorMessage).toBe('gRPC UNAVAILABLE');
  });
});

describe('assembleTrace: a service that dies mid-request', () => {
  const crashed = [
    rec(0, { service: 'gateway', spanId: 'g', message: 'incoming request' }),
    rec(1, { service: 'gateway', spanId: 'g', message: 'calling orders' }),
    rec(2, { service: 'orders', spanId: 'o', parentSpanId: 'g', message: 'request started' }),
    rec(6, { service: 'gateway', spanId: 'g', level: 'error', message: 'upstream orders failed', error: 'socket hang up' }),
  ];

  it('marks the span that went quiet as the origin when the caller names it in its error', () => {
    const t = assembleTrace('abc', crashed);
    expect(shape(t)).toBe(['gateway:incoming request ✖', '  orders:request started ✖ ◀'].join('\n'));
    expect(t.spans[1]!.errorMessage).toBe('stopped logging after "request started"; gateway saw: socket hang up');
    expect(t.warnings).toContain('1 span stopped logging mid-request while the caller failed: counted as failed');
  });

  it('leaves a span alone that logged its end, or that the caller does not blame', () => {
    const finished = assembleTrace('abc', [...crashed.slice(0, 3), rec(3, { service: 'orders', spanId: 'o', parentSpanId: 'g', message: 'done', durationMs: 1 }), crashed[3]!]);
    expect(shape(finished)).toBe(['gateway:incoming request ✖ ◀', '  orders:request started'].join('\n'));
    const unrelated = assembleTrace('abc', [...crashed.slice(0, 3), rec(6, { service: 'gateway', spanId: 'g', level: 'error', message: 'bad token', error: 'unauthorised' })]);
    expect(shape(unrelated)).toBe(['gateway:incoming request ✖ ◀', '  orders:request started'].join('\n'));
  });
});

describe('assembleTrace with span ids but no parent ids', () => {
  it('infers parents from a "calling X" line and from containment, and says so', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'gateway', spanId: 'g', message: 'request received' }),
      rec(1, { service: 'gateway', spanId: 'g', message: 'calling orders' }),
      rec(2, { service: 'orders', spanId: 'o', message: 'request started' }),
      rec(3, { service: 'orders', spanId: 'o', message: 'calling payments', attributes: { 'peer.service': 'payments' } }),
      rec(4, { service: 'payments', spanId: 'p', message: 'charge' }),
      rec(8, { service: 'payments', spanId: 'p', message: 'charged' }),
      rec(4.5, { service: 'inventory', spanId: 'i', message: 'reserve' }),
      rec(6, { service: 'inventory', spanId: 'i', message: 'reserved' }),
      rec(9, { service: 'orders', spanId: 'o', message: 'done' }),
      rec(10, { service: 'gateway', spanId: 'g', message: 'done' }),
    ]);
    expect(shape(t)).toBe(
      [
        'gateway:request received',
        '  ~orders:request started',
        '    ~payments:charge',
        '      ~inventory:reserve',
        ].join('\n'),
    );
    expect(t.structure).toBe('span-ids');
    expect(t.warnings[0]).toMatch(/no parent span ids: 3 parent links inferred/);
  });
});

describe('assembleTrace with trace ids only', () => {
  it('builds one segment per service visit, nested by time, all marked inferred', () => {
    const t = assembleTrace('1764061260000-9f86d081', [
      rec(0, { service: 'gateway', spanId: null, message: 'request received' }),
      rec(2, { service: 'orders', message: 'create order' }),
      rec(4, { service: 'payments', message: 'charge' }),
      rec(9, { service: 'payments', message: 'charged', durationMs: 5 }),
      rec(12, { service: 'payments', message: 'refund check' }),
      rec(14, { service: 'payments', message: 'refund checked', durationMs: 2 }),
      rec(15, { service: 'orders', message: 'order created', durationMs: 13 }),
      rec(16, { service: 'gateway', message: 'request completed', durationMs: 16 }),
    ]);
    expect(shape(t)).toBe(
      [
        'gateway:request received',
        '  ~orders:create order',
        '    ~payments:charge',
        '    ~payments:refund check',
      ].join('\n'),
    );
    expect(t.structure).toBe('trace-id-only');
    expect(t.warnings[0]).toMatch(/only a trace id: 4 spans built from service visits, 3 links inferred/);
    expect(t.spans[1]!.durationMs).toBe(13);
  });

  it('puts a span-less line of a service that logs span ids into that span', () => {
    const t = assembleTrace('abc', [
      rec(0, { service: 'orders', spanId: 'o', message: 'start' }),
      rec(1, { service: 'orders', message: 'middleware line without context' }),
      rec(2, { service: 'orders', spanId: 'o', message: 'end' }),
    ]);
    expect(t.spans).toHaveLength(1);
    expect(t.spans[0]!.records.map((r) => r.message)).toEqual(['start', 'middleware line without context', 'end']);
  });
});
