// Google Cloud structured logs and Datadog (decimal 64-bit ids, read losslessly).
import { describe, expect, test } from 'vitest';
import { core, MS, NOON, one } from './helpers.js';

describe('Google Cloud structured logs', () => {
  test('severity, logging.googleapis.com/* ids with the projects/… prefix, httpRequest with "0.012s" latency', () => {
    const r = one('{"severity":"WARNING","message":"cache miss","logging.googleapis.com/trace":"projects/my-proj/traces/4bf92f3577b34da6a3ce929d0e0e4736","logging.googleapis.com/spanId":"00f067aa0ba902b7","logging.googleapis.com/trace_sampled":true,"httpRequest":{"requestMethod":"GET","requestUrl":"/cart","status":200,"latency":"0.012s"}}');
    expect(core(r)).toEqual({
      timeNs: null, level: 'warn', message: 'cache miss', service: null,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: 12, error: null,
    });
    expect(r.http).toEqual({ method: 'GET', route: '/cart', status: 200 });
    expect(r.attributes).toEqual({ 'logging.googleapis.com/trace_sampled': true });
  });

  test('timestampSeconds + timestampNanos', () => {
    expect(one('{"severity":"INFO","message":"x","timestampSeconds":1717243200,"timestampNanos":123456789}').timeNs)
      .toBe(NOON + 123_456_789n);
  });

  test('timestamp as {seconds, nanos}', () => {
    expect(one('{"severity":"INFO","message":"x","timestamp":{"seconds":1717243200,"nanos":5}}').timeNs).toBe(NOON + 5n);
  });

  test('GCP severities', () => {
    const levels = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY']
      .map((s) => one(`{"severity":"${s}","message":"x"}`).level);
    expect(levels).toEqual(['info', 'debug', 'info', 'info', 'warn', 'error', 'fatal', 'fatal', 'fatal']);
  });
});

describe('Datadog', () => {
  test('decimal id strings → 16 hex of the low 64 bits', () => {
    const r = one('{"dd.trace_id":"2941888918638909251","dd.span_id":"6321939096051828600","dd.service":"billing","level":"info","msg":"x","time":"2024-06-01T12:00:00Z"}');
    expect([r.traceId, r.spanId, r.service]).toEqual(['28d3b0627c215743', '57bc0a1cdfd2c778', 'billing']);
  });

  test('a 64-bit id above 2^53 as a bare JSON number is read exactly', () => {
    // 2^63 + 12345: a double would round it to 9223372036854775808.
    const r = one('{"dd":{"trace_id":9223372036854788153,"span_id":18446744073709551615},"level":"info","msg":"x","time":"2024-06-01T12:00:00Z"}');
    expect(r.traceId).toBe((9223372036854788153n).toString(16));
    expect(r.traceId).toBe('8000000000003039');
    expect(r.spanId).toBe('ffffffffffffffff');
  });

  test('a bare 16-digit number is still decimal (it was a number, not hex text)', () => {
    const r = one('{"dd.trace_id":1234567890123456,"msg":"x"}');
    expect(r.traceId).toBe('000462d53c8abac0');
  });

  test('other long bare integers stay exact, as digit strings in attributes', () => {
    const r = one('{"msg":"x","bytes":12345678901234567890,"dd.trace_id":"2941888918638909251"}');
    expect(r.attributes.bytes).toBe('12345678901234567890');
  });

  test('a long digit run inside a string does not break the line', () => {
    const r = one('{"msg":"ids:1234567890123456789,next","dd.trace_id":2941888918638909251}');
    expect(r.message).toBe('ids:1234567890123456789,next');
    expect(r.traceId).not.toBeNull(); // precision of the bare number is lost in this rare case
  });

  test('128-bit Datadog ids already in hex', () => {
    expect(one('{"dd.trace_id":"6656d7a000000000a3ce929d0e0e4736","msg":"x"}').traceId).toBe('6656d7a000000000a3ce929d0e0e4736');
  });
});

test('numeric times by magnitude: s, ms, µs, ns, and digit strings', () => {
  const at = (v: string) => one(`{"msg":"x","time":${v}}`).timeNs;
  expect(at('1717243200')).toBe(NOON);
  expect(at('1717243200.5')).toBe(NOON + 500n * MS);
  expect(at('1717243200123')).toBe(NOON + 123n * MS);
  expect(at('1717243200123456')).toBe(NOON + 123_456_000n);
  expect(at('1717243200123456789')).toBe(NOON + 123_456_789n);
  expect(at('"1717243200123456789"')).toBe(NOON + 123_456_789n);
  expect(at('"1717243200.123456789"')).toBe(NOON + 123_456_789n);
});
