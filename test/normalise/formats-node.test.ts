// Node libraries: pino, bunyan, winston.
import { describe, expect, test } from 'vitest';
import { core, MS, NOON, one } from './helpers.js';

describe('pino', () => {
  test('numeric level and ms time; hostname is the host, and the guessed service when none is named', () => {
    const r = one('{"level":30,"time":1717243200123,"pid":4242,"hostname":"web-1","msg":"request completed"}');
    expect(core(r)).toEqual({
      // `web-1` reads as a StatefulSet pod: its workload is the service (issue 13 item 13).
      timeNs: NOON + 123n * MS, level: 'info', message: 'request completed', service: 'web',
      traceId: null, spanId: null, parentSpanId: null, durationMs: null, error: null,
    });
    expect(r.host).toBe('web-1');
    expect(r.serviceFromHost).toBe(true);
    expect(r.attributes).toEqual({ pid: 4242 });
  });

  test('err object with OTel ids', () => {
    const r = one('{"level":50,"time":1717243200456,"pid":4242,"hostname":"web-1","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at handler (/app/index.js:10:9)"},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"01","msg":"boom"}');
    expect(core(r)).toEqual({
      timeNs: NOON + 456n * MS, level: 'error', message: 'boom', service: 'web',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: null, error: 'boom',
    });
    expect(r.errorStack).toBe('Error: boom\n    at handler (/app/index.js:10:9)');
    expect(r.attributes).toEqual({ pid: 4242, trace_flags: '01' });
  });

  test('every pino level number', () => {
    const levels = [10, 20, 30, 40, 50, 60].map((n) => one(`{"level":${n},"time":1717243200000,"pid":1,"msg":"x"}`).level);
    expect(levels).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
  });

  test('pino-http: req/res serializers and responseTime in ms', () => {
    const r = one('{"level":30,"time":1717243200000,"pid":1,"hostname":"web-1","req":{"id":1,"method":"POST","url":"/orders","headers":{"host":"shop"}},"res":{"statusCode":503},"responseTime":87,"msg":"request errored"}');
    expect(r.http).toEqual({ method: 'POST', route: '/orders', status: 503 });
    expect(r.durationMs).toBe(87);
    expect(r.attributes).toEqual({ pid: 1, 'req.id': 1, 'req.headers.host': 'shop' });
  });

  test('name is only a weak service: a label wins over it', () => {
    const line = '{"level":30,"time":1717243200000,"pid":1,"hostname":"web-1","name":"checkout-logger","msg":"x"}';
    expect(one(line).service).toBe('checkout-logger');
    expect(one(line, { labels: { service_name: 'checkout' } }).service).toBe('checkout');
  });
});

describe('bunyan', () => {
  test('name, ISO time, v dropped, Datadog ids nested under dd', () => {
    const r = one('{"name":"checkout","hostname":"web-1","pid":311,"level":40,"msg":"retrying","time":"2024-06-01T12:00:00.123Z","v":0,"dd":{"trace_id":"2941888918638909251","span_id":"6321939096051828600"}}');
    expect(core(r)).toEqual({
      timeNs: NOON + 123n * MS, level: 'warn', message: 'retrying', service: 'checkout',
      traceId: '28d3b0627c215743', spanId: '57bc0a1cdfd2c778', parentSpanId: null, durationMs: null, error: null,
    });
    expect(r.attributes).toEqual({ pid: 311 });
  });

  test('err {name,message,stack,code}: bunyan name is the logger, not the error name', () => {
    const r = one('{"name":"api","hostname":"h","pid":1,"level":50,"err":{"name":"TypeError","message":"x is undefined","stack":"TypeError: x is undefined\\n    at f (a.js:1:1)","code":"E1"},"msg":"failed","time":"2024-06-01T12:00:00.000Z","v":0}');
    expect(r.error).toBe('x is undefined');
    expect(r.errorStack).toBe('TypeError: x is undefined\n    at f (a.js:1:1)');
    expect(r.service).toBe('api');
  });
});

describe('winston', () => {
  test('message/timestamp keys with OTel ids', () => {
    const r = one('{"level":"info","message":"user created","timestamp":"2024-06-01T12:00:00.123Z","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"01"}');
    expect(core(r)).toEqual({
      timeNs: NOON + 123n * MS, level: 'info', message: 'user created', service: null,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: null, error: null,
    });
  });

  test('format.errors({stack:true}): the stack makes it an error; winston `name` is not a service', () => {
    const r = one('{"level":"error","message":"boom","stack":"Error: boom\\n    at f (a.js:1:1)","timestamp":"2024-06-01T12:00:00.000Z","name":"bob"}');
    expect(r.error).toBe('Error: boom');
    expect(r.errorStack).toBe('Error: boom\n    at f (a.js:1:1)');
    expect(r.service).toBeNull();
    expect(r.attributes).toEqual({ name: 'bob' });
  });
});
