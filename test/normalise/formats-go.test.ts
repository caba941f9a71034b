// Go libraries: zap, logrus, zerolog, slog, grpc-middleware, echo, Datadog hooks.
import { describe, expect, test } from 'vitest';
import { core, MS, NOON, one } from './helpers.js';

const H2 = 2n * 3600n * 1_000_000_000n; // the +02:00 offset

describe('zap', () => {
  test('production JSON: float-seconds ts, unitless latency in seconds, caller kept', () => {
    const r = one('{"level":"info","ts":1717243200.123456,"caller":"api/handler.go:42","msg":"request done","status":200,"latency":0.0123}');
    expect(core(r)).toEqual({
      timeNs: NOON + 123_456_000n, level: 'info', message: 'request done', service: null,
      traceId: null, spanId: null, parentSpanId: null, durationMs: 12.3, error: null,
    });
    expect(r.http).toEqual({ status: 200 });
    expect(r.attributes).toEqual({ caller: 'api/handler.go:42' });
  });

  test('error with stacktrace: the caller stack is a stack, not the message', () => {
    const r = one('{"level":"error","ts":1717243200.5,"caller":"db/pool.go:88","msg":"query failed","error":"context deadline exceeded","stacktrace":"main.run\\n\\t/app/main.go:31"}');
    expect(r.error).toBe('context deadline exceeded');
    expect(r.errorStack).toBe('main.run\n\t/app/main.go:31');
    expect(r.timeNs).toBe(NOON + 500n * MS);
  });

  test('a stacktrace alone is not an error', () => {
    const r = one('{"level":"warn","ts":1717243200.5,"msg":"slow","stacktrace":"main.run\\n\\t/app/main.go:31"}');
    expect(r.error).toBeNull();
    expect(r.errorStack).toBe('main.run\n\t/app/main.go:31');
  });

  test('ISO8601 time encoder with a colon-less offset', () => {
    const r = one('{"level":"info","ts":"2024-06-01T12:00:00.123+0200","msg":"ok"}');
    expect(r.timeNs).toBe(NOON - H2 + 123n * MS);
  });

  test('dpanic and panic levels', () => {
    expect(one('{"level":"dpanic","ts":1717243200,"msg":"x"}').level).toBe('error');
    expect(one('{"level":"panic","ts":1717243200,"msg":"x"}').level).toBe('fatal');
  });

  test('otelzap trace_id', () => {
    const r = one('{"level":"info","ts":1717243200.1,"msg":"charged","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}');
    expect(r.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(r.timeNs).toBe(NOON + 100n * MS);
  });
});

describe('logrus', () => {
  test('warning level, RFC3339 with offset, int-ns took, error string', () => {
    const r = one('{"level":"warning","msg":"slow query","time":"2024-06-01T12:00:00+02:00","took":1500000000,"error":"timeout"}');
    expect(core(r)).toEqual({
      timeNs: NOON - H2, level: 'warn', message: 'slow query', service: null,
      traceId: null, spanId: null, parentSpanId: null, durationMs: 1500, error: 'timeout',
    });
  });

  test('Datadog hook: decimal ids in flat dd.* keys', () => {
    const r = one('{"dd.span_id":"6321939096051828600","dd.trace_id":"2941888918638909251","level":"info","msg":"charged","time":"2024-06-01T12:00:00Z"}');
    expect(r.traceId).toBe('28d3b0627c215743');
    expect(r.spanId).toBe('57bc0a1cdfd2c778');
    expect(r.timeNs).toBe(NOON);
  });
});

describe('zerolog', () => {
  test('message key, dur in ms', () => {
    const r = one('{"level":"info","dur":12.5,"time":"2024-06-01T10:00:00Z","message":"served"}');
    expect(core(r)).toEqual({
      timeNs: NOON - H2, level: 'info', message: 'served', service: null,
      traceId: null, spanId: null, parentSpanId: null, durationMs: 12.5, error: null,
    });
  });

  test('unix-nano time as a bare 19-digit number keeps every digit', () => {
    const r = one('{"level":"debug","time":1717243200123456789,"message":"tick"}');
    expect(r.timeNs).toBe(1717243200123456789n);
  });
});

describe('slog', () => {
  test('ERROR+2, RFC3339Nano with local offset, elapsed in ns', () => {
    const r = one('{"time":"2024-06-01T12:00:00.123456789+02:00","level":"ERROR+2","msg":"disk full","elapsed":1500000000}');
    expect(core(r)).toEqual({
      timeNs: NOON - H2 + 123_456_789n, level: 'error', message: 'disk full', service: null,
      traceId: null, spanId: null, parentSpanId: null, durationMs: 1500, error: null,
    });
  });

  test('offsets within a level: DEBUG-4 is trace, INFO+2 is still info, WARN+4 is error', () => {
    expect(one('{"time":"2024-06-01T12:00:00Z","level":"DEBUG-4","msg":"x"}').level).toBe('trace');
    expect(one('{"time":"2024-06-01T12:00:00Z","level":"INFO+2","msg":"x"}').level).toBe('info');
    expect(one('{"time":"2024-06-01T12:00:00Z","level":"WARN+4","msg":"x"}').level).toBe('error');
  });
});

describe('grpc-middleware', () => {
  test('v2: grpc.component as span kind, string grpc.time_ms, code name', () => {
    const r = one('{"level":"INFO","msg":"finished call","protocol":"grpc","grpc.component":"server","grpc.service":"helloworld.Greeter","grpc.method":"SayHello","grpc.method_type":"unary","grpc.code":"OK","grpc.time_ms":"0.532"}');
    expect(r.durationMs).toBe(0.532);
    expect(r.spanKind).toBe('server');
    expect(r.grpc).toEqual({ service: 'helloworld.Greeter', method: 'SayHello', code: 0 });
    expect(r.attributes).toEqual({ protocol: 'grpc', 'grpc.method_type': 'unary' });
  });

  test('v1 grpc_zap: span.kind, numeric grpc.time_ms, Go-cased code names', () => {
    const r = one('{"level":"error","ts":1557004280.53,"msg":"finished unary call with code DeadlineExceeded","system":"grpc","span.kind":"client","grpc.service":"FooService","grpc.method":"GetBar","grpc.code":"DeadlineExceeded","grpc.time_ms":248.451}');
    expect(r.durationMs).toBe(248.451);
    expect(r.spanKind).toBe('client');
    expect(r.grpc).toEqual({ service: 'FooService', method: 'GetBar', code: 4 });
    expect(r.timeNs).toBe(1557004280530000000n);
  });

  test('full method names carry the service', () => {
    const r = one('{"level":"info","msg":"x","grpc.method":"/shop.Cart/AddItem","grpc.code":14}');
    expect(r.grpc).toEqual({ service: 'shop.Cart', method: 'AddItem', code: 14 });
  });
});

describe('echo', () => {
  test('int-ns latency, empty error is no error, request fields', () => {
    const r = one('{"time":"2024-06-01T12:00:00.123456789Z","id":"","remote_ip":"10.0.0.1","host":"api","method":"GET","uri":"/users","user_agent":"curl/8.0","status":200,"error":"","latency":1234567,"latency_human":"1.234567ms","bytes_in":0,"bytes_out":42}');
    expect(r.timeNs).toBe(NOON + 123_456_789n);
    expect(r.durationMs).toBeCloseTo(1.234567, 9);
    expect(r.error).toBeNull();
    expect(r.http).toEqual({ method: 'GET', route: '/users', status: 200 });
    expect(r.host).toBe('api');
  });
});

test('go-kit traceID', () => {
  expect(one('{"level":"info","traceID":"4BF92F3577B34DA6A3CE929D0E0E4736","msg":"query done"}').traceId)
    .toBe('4bf92f3577b34da6a3ce929d0e0e4736');
});
