// --trace-field/--span-field/--parent-field/--service-field, source labels, raw.timeNs fallback.
import { describe, expect, test } from 'vitest';
import { one } from './helpers.js';

describe('field overrides', () => {
  const line = '{"msg":"x","trace_id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","ctx":{"req":"7f3a9c2e1b4d5a6f7f3a9c2e1b4d5a6f","sid":"1111111111111111","psid":"2222222222222222"},"app.name":"billing","service":"ignored"}';

  test('nested and flat dotted names replace detection, and are not repeated as attributes', () => {
    const r = one(line, {}, { traceField: 'ctx.req', spanField: 'ctx.sid', parentField: 'ctx.psid', serviceField: 'app.name' });
    expect([r.traceId, r.spanId, r.parentSpanId, r.service]).toEqual([
      '7f3a9c2e1b4d5a6f7f3a9c2e1b4d5a6f', '1111111111111111', '2222222222222222', 'billing',
    ]);
    expect(r.attributes).toEqual({ trace_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', service: 'ignored' });
  });

  test('a flat key with dots is found before the nested path', () => {
    const r = one('{"msg":"x","x.id":"req-flat","x":{"id":"req-nested"}}', {}, { traceField: 'x.id' });
    expect(r.traceId).toBe('req-flat');
  });

  test('an in-house id of any shape is kept as written', () => {
    expect(one('{"msg":"x","rid":"Order#42/A"}', {}, { traceField: 'rid' }).traceId).toBe('Order#42/A');
  });

  test('a missing override field falls back to detection', () => {
    expect(one('{"msg":"x","trace_id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}', {}, { traceField: 'ctx.req' }).traceId)
      .toBe('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
  });

  test('override values given as bare long numbers stay exact', () => {
    expect(one('{"msg":"x","req":{"id":2941888918638909251}}', {}, { traceField: 'req.id' }).traceId).toBe('28d3b0627c215743');
  });
});

describe('labels and source time', () => {
  test('file-derived service_name fills a line with no service', () => {
    expect(one('{"msg":"x"}', { labels: { service_name: 'payment-service' } }).service).toBe('payment-service');
  });

  test('Loki stream labels fill level and host only when the line lacks them', () => {
    const labels = { service_name: 'cart', level: 'warn', pod: 'cart-5c9' };
    const r = one('{"msg":"x"}', { labels });
    expect([r.service, r.level, r.host]).toEqual(['cart', 'warn', 'cart-5c9']);
    const s = one('{"msg":"x","level":"error","hostname":"h1"}', { labels });
    expect([s.level, s.host]).toEqual(['error', 'h1']);
  });

  test('raw.timeNs is used only when the line has no time', () => {
    expect(one('{"msg":"x"}', { timeNs: 42n }).timeNs).toBe(42n);
    expect(one('{"msg":"x","time":"2024-06-01T12:00:00Z"}', { timeNs: 42n }).timeNs).toBe(1717243200000000000n);
  });
});

test('attributes: false leaves attributes empty and everything else the same', () => {
  const line = '{"level":30,"time":1717243200000,"pid":1,"hostname":"web-1","req":{"method":"POST","url":"/orders","headers":{"host":"shop"}},"res":{"statusCode":503},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","msg":"x","bytes":12345678901234567890}';
  const full = one(line);
  const lean = one(line, {}, { attributes: false });
  expect(lean.attributes).toEqual({});
  expect({ ...lean, attributes: full.attributes }).toEqual(full);
});
