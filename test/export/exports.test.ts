import { describe, expect, it } from 'vitest';
import { hexSpanId, hexTraceId } from '../../src/render/export-ids.js';
import { toChrome } from '../../src/render/export-chrome.js';
import { toJaeger } from '../../src/render/export-jaeger.js';
import { toOtlp } from '../../src/render/export-otlp.js';
import { makeTrace } from '../support/make-trace.js';
import { SAMPLE_TRACE_ID, sampleTrace } from './sample-trace.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const asJson = (o: object): any => JSON.parse(JSON.stringify(o));

describe('toOtlp', () => {
  const doc = asJson(toOtlp(sampleTrace()));
  const spans: any[] = doc.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
  const byName = (name: string) => spans.find((s) => s.name === name);

  it('writes one resourceSpans per service (and host), named by service.name', () => {
    const resources = doc.resourceSpans.map((r: any) => Object.fromEntries(r.resource.attributes.map((a: any) => [a.key, a.value.stringValue])));
    expect(resources).toEqual([
      { 'service.name': 'frontend', 'host.name': 'web-1' },
      { 'service.name': 'cart-service' },
      { 'service.name': 'payment-service', 'host.name': 'pay-7' },
      { 'service.name': 'bank-gateway' },
    ]);
  });

  it('keeps hex ids, parents, exact ns times as decimal strings and kinds as numbers', () => {
    const charge = byName('Charge');
    expect(charge).toMatchObject({
      traceId: SAMPLE_TRACE_ID,
      spanId: '5fb397be34d26b51',
      parentSpanId: 'b7ad6b7169203331',
      kind: 2,
      startTimeUnixNano: '1730462400030000001',
      endTimeUnixNano: '1730462400180250001',
    });
    expect(byName('GET /checkout').parentSpanId).toBe('');
    expect(byName('POST /authorize').kind).toBe(3);
  });

  it('marks errors with status 2 and their message, others unset', () => {
    expect(byName('Charge').status).toEqual({ code: 2, message: 'card declined' });
    expect(byName('LoadCart').status).toEqual({ code: 0 });
  });

  it('turns log lines into span events with their attributes', () => {
    const events = byName('GET /checkout').events;
    expect(events.map((e: any) => [e.timeUnixNano, e.name])).toEqual([
      ['1730462400000000000', 'request received'],
      ['1730462400182456789', 'request failed'],
    ]);
    expect(events[0].attributes).toContainEqual({ key: 'user', value: { kvlistValue: { values: [{ key: 'id', value: { intValue: '42' } }] } } });
    expect(events[1].attributes).toContainEqual({ key: 'exception.message', value: { stringValue: 'upstream payment failed' } });
    expect(byName('Charge').attributes).toContainEqual({ key: 'rpc.grpc.status_code', value: { intValue: '13' } });
  });

  it('maps non-hex ids to valid hex deterministically and keeps the originals', () => {
    const trace = makeTrace({
      traceId: '1717243200123-9f8e7d6c',
      spans: [
        { id: 'frontend#1', service: 'frontend', start: 0, duration: 10, inferred: false },
        { id: 'cart#1', parent: 'frontend#1', service: 'cart', start: 1, duration: 5, inferred: true },
      ],
    });
    const out = asJson(toOtlp(trace));
    const [root, child] = out.resourceSpans.map((r: any) => r.scopeSpans[0].spans[0]);
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.parentSpanId).toBe(root.spanId);
    expect(asJson(toOtlp(trace))).toEqual(out);
    const attrs = Object.fromEntries(child.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]));
    expect(attrs).toMatchObject({
      'mcp_trace.original_trace_id': '1717243200123-9f8e7d6c',
      'mcp_trace.original_span_id': 'cart#1',
      'mcp_trace.original_parent_span_id': 'frontend#1',
      'mcp_trace.inferred_parent': true,
    });
  });
});

describe('export ids', () => {
  it('pads 16-hex trace ids, strips UUID dashes, lower-cases and hashes the rest', () => {
    expect(hexTraceId('a3ce929d0e0e4736')).toBe('0000000000000000a3ce929d0e0e4736');
    expect(hexTraceId('4BF92F35-77B3-4DA6-A3CE-929D0E0E4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(hexTraceId('00000000000000000000000000000000')).not.toBe('00000000000000000000000000000000');
    expect(hexSpanId('00F067AA0BA902B7')).toBe('00f067aa0ba902b7');
    expect(hexSpanId('svc-visit-3')).toBe(hexSpanId('svc-visit-3'));
    expect(hexSpanId('svc-visit-3')).not.toBe(hexSpanId('svc-visit-4'));
  });
});

describe('toJaeger', () => {
  const doc = asJson(toJaeger(sampleTrace()));
  const trace = doc.data[0];
  const byName = (name: string) => trace.spans.find((s: any) => s.operationName === name);

  it('writes data[0] with spans, processes by service and host, and no warnings', () => {
    expect(doc.data).toHaveLength(1);
    expect(trace.traceID).toBe(SAMPLE_TRACE_ID);
    expect(trace.warnings).toBeNull();
    expect(Object.values(trace.processes)).toEqual([
      { serviceName: 'frontend', tags: [{ key: 'hostname', type: 'string', value: 'web-1' }] },
      { serviceName: 'cart-service', tags: [] },
      { serviceName: 'payment-service', tags: [{ key: 'hostname', type: 'string', value: 'pay-7' }] },
      { serviceName: 'bank-gateway', tags: [] },
    ]);
    expect(trace.processes[byName('Charge').processID].serviceName).toBe('payment-service');
  });

  it('uses whole microseconds, flooring start and end alike, and CHILD_OF references', () => {
    const charge = byName('Charge');
    expect(charge.startTime).toBe(1730462400030000);
    expect(charge.duration).toBe(150250);
    expect(charge.references).toEqual([{ refType: 'CHILD_OF', traceID: SAMPLE_TRACE_ID, spanID: 'b7ad6b7169203331' }]);
    expect(byName('GET /checkout').references).toEqual([]);
    // 182.4567891 ms from 0: the end floors to ...182456 µs.
    expect(byName('GET /checkout').duration).toBe(182456);
  });

  it('tags errors and carries log lines as logs', () => {
    expect(byName('Charge').tags).toEqual(
      expect.arrayContaining([
        { key: 'error', type: 'bool', value: true },
        { key: 'otel.status_description', type: 'string', value: 'card declined' },
        { key: 'span.kind', type: 'string', value: 'server' },
      ]),
    );
    expect(byName('LoadCart').tags.find((t: any) => t.key === 'error')).toBeUndefined();
    expect(byName('Charge').logs[1]).toEqual({
      timestamp: 1730462400180250,
      fields: [
        { key: 'message', type: 'string', value: 'charge failed' },
        { key: 'level', type: 'string', value: 'error' },
        { key: 'error', type: 'string', value: 'card declined' },
      ],
    });
  });
});

describe('toChrome', () => {
  const doc = asJson(toChrome(sampleTrace()));
  const events: any[] = doc.traceEvents;

  it('names one process per service', () => {
    const names = events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args.name]);
    expect(names).toEqual([
      [1, 'frontend'],
      [2, 'cart-service'],
      [3, 'payment-service'],
      [4, 'bank-gateway'],
    ]);
  });

  it('writes spans as complete events in µs from the trace start', () => {
    const charge = events.find((e) => e.ph === 'X' && e.name === 'Charge');
    expect(charge).toMatchObject({ pid: 3, ts: 30000.001, dur: 150250, args: { spanId: '5fb397be34d26b51', error: 'card declined' } });
    expect(doc.otherData).toMatchObject({ traceId: SAMPLE_TRACE_ID, startUnixNano: '1730462400000000000' });
    expect(events.filter((e) => e.ph === 'i').map((e) => e.name)).toContain('authorize returned 402');
  });

  it('puts overlapping spans of one service that do not nest on separate threads', () => {
    const trace = makeTrace({
      spans: [
        { id: 'a', service: 'worker', start: 0, duration: 100 },
        { id: 'b', parent: 'a', service: 'worker', start: 10, duration: 50 },
        { id: 'c', parent: 'a', service: 'worker', start: 40, duration: 50 },
        { id: 'd', parent: 'a', service: 'worker', start: 70, duration: 10 },
      ],
    });
    const tids = Object.fromEntries(
      asJson(toChrome(trace)).traceEvents.filter((e: any) => e.ph === 'X').map((e: any) => [e.args.spanId, e.tid]),
    );
    expect(tids.a).toBe(tids.b);
    expect(tids.c).not.toBe(tids.b);
    expect(tids.d).toBe(tids.a); // b has ended by 70, so d nests in a again
  });
});
