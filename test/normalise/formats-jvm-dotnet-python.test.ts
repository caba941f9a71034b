// Java/.NET/Python: ECS (dotted and nested), logstash-logback, log4j, Sleuth, Serilog CLEF,
// python-json-logger, structlog, AWS Powertools.
import { describe, expect, test } from 'vitest';
import { core, MS, NOON, one } from './helpers.js';

const H2 = 2n * 3600n * 1_000_000_000n;

describe('ECS', () => {
  const expected = {
    timeNs: NOON - H2 + 456n * MS, level: 'info', message: 'cart loaded', service: 'cart-api',
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', parentSpanId: null, durationMs: null, error: null,
  };

  test('dotted keys (the spec example), ecs.version dropped', () => {
    const r = one('{"@timestamp":"2024-06-01T10:00:00.456Z","log.level":"info","message":"cart loaded","ecs.version":"1.6.0","log":{"logger":"cart"},"trace.id":"0af7651916cd43dd8448eb211c80319c","transaction.id":"b7ad6b7169203331","service.name":"cart-api"}');
    expect(core(r)).toEqual(expected);
    expect(r.attributes).toEqual({ 'log.logger': 'cart' });
  });

  test('nested keys give the same record', () => {
    const r = one('{"@timestamp":"2024-06-01T10:00:00.456Z","log":{"level":"info","logger":"cart"},"message":"cart loaded","ecs":{"version":"1.6.0"},"trace":{"id":"0af7651916cd43dd8448eb211c80319c"},"transaction":{"id":"b7ad6b7169203331"},"service":{"name":"cart-api"}}');
    expect(core(r)).toEqual(expected);
    expect(r.attributes).toEqual({ 'log.logger': 'cart' });
  });

  test('mixed dotted-inside-nested keys', () => {
    const r = one('{"@timestamp":"2024-06-01T10:00:00.456Z","log.level":"info","message":"cart loaded","trace":{"id":"0af7651916cd43dd8448eb211c80319c"},"transaction.id":"b7ad6b7169203331","service":{"name":"cart-api"},"log.origin":{"file.name":"Cart.java"}}');
    expect(core(r)).toEqual(expected);
    expect(r.attributes).toEqual({ 'log.origin.file.name': 'Cart.java' });
  });

  test('log4j2 EcsLayout error fields, flat', () => {
    const r = one('{"@timestamp":"2024-06-01T10:00:00.123Z","ecs.version":"1.2.0","log.level":"ERROR","message":"Payment failed","process.thread.name":"main","log.logger":"com.acme.Pay","error.type":"java.lang.IllegalStateException","error.message":"card declined","error.stack_trace":"java.lang.IllegalStateException: card declined\\n\\tat com.acme.Pay.charge(Pay.java:42)"}');
    expect(r.level).toBe('error');
    expect(r.error).toBe('card declined');
    expect(r.errorStack).toBe('java.lang.IllegalStateException: card declined\n\tat com.acme.Pay.charge(Pay.java:42)');
    expect(r.attributes['error.type']).toBe('java.lang.IllegalStateException');
  });

  test('nested error object, event.duration in ns, http and url objects, host object', () => {
    const r = one('{"@timestamp":"2024-06-01T12:00:00Z","log":{"level":"error"},"message":"GET /cart failed","error":{"type":"IOException","message":"reset by peer","stack_trace":"IOException: reset by peer"},"event":{"duration":250000000,"dataset":"cart.log"},"http":{"request":{"method":"get"},"response":{"status_code":502}},"url":{"path":"/cart"},"host":{"name":"node-3"}}');
    expect(r.error).toBe('reset by peer');
    expect(r.errorStack).toBe('IOException: reset by peer');
    expect(r.durationMs).toBe(250);
    expect(r.http).toEqual({ method: 'GET', route: '/cart', status: 502 });
    expect(r.host).toBe('node-3');
    expect(r.attributes).toEqual({ 'event.dataset': 'cart.log' });
  });

  test('parent.id is the parent span', () => {
    expect(one('{"@timestamp":"2024-06-01T12:00:00Z","message":"x","span.id":"b7ad6b7169203331","parent.id":"00f067aa0ba902b7"}').parentSpanId)
      .toBe('00f067aa0ba902b7');
  });
});

describe('logstash-logback-encoder', () => {
  test('@timestamp with offset, level, MDC ids, @version dropped', () => {
    const r = one('{"@timestamp":"2024-06-01T12:00:00.123+02:00","@version":"1","message":"Order placed","logger_name":"com.acme.OrderService","thread_name":"http-nio-8080-exec-1","level":"INFO","level_value":20000,"traceId":"65f6a93035aba42663a70d11d899a3c1","spanId":"738f93772ad29071"}');
    expect(core(r)).toEqual({
      timeNs: NOON - H2 + 123n * MS, level: 'info', message: 'Order placed', service: null,
      traceId: '65f6a93035aba42663a70d11d899a3c1', spanId: '738f93772ad29071', parentSpanId: null, durationMs: null, error: null,
    });
    expect(r.attributes).toEqual({ logger_name: 'com.acme.OrderService', thread_name: 'http-nio-8080-exec-1' });
  });

  test('level_value alone gives the level; stack_trace makes an error', () => {
    const r = one('{"@timestamp":"2024-06-01T12:00:00Z","message":"Order failed","level_value":40000,"stack_trace":"java.lang.RuntimeException: no stock\\n\\tat A.b(A.java:1)"}');
    expect(r.level).toBe('error');
    expect(r.error).toBe('java.lang.RuntimeException: no stock');
  });

  test('Sleuth 2.x: 64-bit B3 ids', () => {
    const r = one('{"@timestamp":"2024-06-01T12:00:00Z","message":"x","level":"INFO","traceId":"5f1a2b3c4d5e6f70","spanId":"5f1a2b3c4d5e6f71","X-B3-ParentSpanId":"5f1a2b3c4d5e6f70","spanExportable":"true"}');
    expect([r.traceId, r.spanId, r.parentSpanId]).toEqual(['5f1a2b3c4d5e6f70', '5f1a2b3c4d5e6f71', '5f1a2b3c4d5e6f70']);
  });

  test('log4j JsonLayout: instant object, thrown object', () => {
    const r = one('{"instant":{"epochSecond":1717243200,"nanoOfSecond":123456789},"level":"ERROR","loggerName":"com.acme.Pay","message":"charge failed","thrown":{"name":"java.io.IOException","message":"timeout","extendedStackTrace":"java.io.IOException: timeout\\n\\tat X.y(X.java:1)"}}');
    expect(r.timeNs).toBe(NOON + 123_456_789n);
    expect(r.error).toBe('timeout');
    expect(r.errorStack).toBe('java.io.IOException: timeout\n\tat X.y(X.java:1)');
  });
});

describe('Serilog CLEF', () => {
  test('@mt rendered when @m is absent, 7 fraction digits, missing @l = info, @tr/@sp', () => {
    const r = one('{"@t":"2024-06-01T12:00:00.1234567Z","@mt":"Processed {OrderId} in {Elapsed:0.0} ms","OrderId":42,"Elapsed":12.7,"@tr":"4bf92f3577b34da6a3ce929d0e0e4736","@sp":"00f067aa0ba902b7"}');
    expect(core(r)).toEqual({
      timeNs: NOON + 123_456_700n, level: 'info', message: 'Processed 42 in 12.7 ms', service: null,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: null, error: null,
    });
    expect(r.attributes).toEqual({ OrderId: 42, Elapsed: 12.7 });
  });

  test('@m wins over @mt; @x is the error', () => {
    const r = one('{"@t":"2024-06-01T12:00:01.0000000Z","@m":"Failed order 7","@mt":"Failed order {Id}","Id":7,"@l":"Error","@x":"System.InvalidOperationException: nope\\n   at Foo.Bar()"}');
    expect(r.message).toBe('Failed order 7');
    expect(r.level).toBe('error');
    expect(r.error).toBe('System.InvalidOperationException: nope');
    expect(r.errorStack).toBe('System.InvalidOperationException: nope\n   at Foo.Bar()');
    expect(r.attributes).toEqual({ '@mt': 'Failed order {Id}', Id: 7 });
  });

  test('Serilog level names', () => {
    const levels = ['Verbose', 'Debug', 'Information', 'Warning', 'Error', 'Fatal']
      .map((l) => one(`{"@t":"2024-06-01T12:00:00Z","@mt":"x","@l":"${l}"}`).level);
    expect(levels).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
  });

  test('template escapes and missing properties', () => {
    expect(one('{"@t":"2024-06-01T12:00:00Z","@mt":"{{literal}} {Missing} {@User}","User":{"id":1}}').message)
      .toBe('{literal} {Missing} {"id":1}');
  });
});

describe('Python', () => {
  test('python-json-logger: asctime (comma millis, no zone → UTC), levelname, exc_info, otel* fields', () => {
    const r = one('{"asctime":"2024-06-01 12:00:00,123","levelname":"ERROR","message":"db down","exc_info":"Traceback (most recent call last):\\n  File \\"app.py\\", line 3\\nConnectionError: refused","otelSpanID":"00f067aa0ba902b7","otelTraceID":"4bf92f3577b34da6a3ce929d0e0e4736","otelTraceSampled":true,"otelServiceName":"orders"}');
    expect(core(r)).toEqual({
      timeNs: NOON + 123n * MS, level: 'error', message: 'db down', service: 'orders',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: null,
      error: 'ConnectionError: refused',
    });
    expect(r.errorStack).toContain('Traceback');
  });

  test('Python OTel writes "0" ids when there is no span', () => {
    const r = one('{"asctime":"2024-06-01 12:00:00,123","levelname":"WARNING","message":"x","otelSpanID":"0","otelTraceID":"0","otelServiceName":""}');
    expect([r.traceId, r.spanId, r.service, r.level]).toEqual([null, null, null, 'warn']);
  });

  test('CRITICAL is fatal', () => {
    expect(one('{"asctime":"2024-06-01 12:00:00,123","levelname":"CRITICAL","message":"x"}').level).toBe('fatal');
  });

  test('structlog: event is the message', () => {
    const r = one('{"event":"user logged in","user":"bob","level":"info","timestamp":"2024-06-01T12:00:00.123456Z"}');
    expect([r.message, r.level, r.timeNs]).toEqual(['user logged in', 'info', NOON + 123_456_000n]);
    expect(r.attributes).toEqual({ user: 'bob' });
  });

  test('structlog dict_tracebacks exception list', () => {
    const r = one('{"event":"failed","level":"error","timestamp":"2024-06-01T12:00:00Z","exception":[{"exc_type":"ValueError","exc_value":"bad input","frames":[]}]}');
    expect(r.error).toBe('bad input');
  });

  test('structlog format_exc_info string: the exception line is the message, the traceback the stack', () => {
    const tb = 'Traceback (most recent call last):\\n  File \\"/app/fraud/api.py\\", line 57, in score\\n    raise FeatureStoreUnavailable()\\nfraud.features.FeatureStoreUnavailable: redis connection refused';
    const r = one(`{"event":"scoring failed","level":"error","timestamp":"2024-06-01T12:00:00Z","exception":"${tb}"}`);
    expect(r.error).toBe('fraud.features.FeatureStoreUnavailable: redis connection refused');
    expect(r.errorStack).toMatch(/^Traceback \(most recent call last\):\n  File "\/app\/fraud\/api.py"/);
    expect(r.message).toBe('scoring failed');
  });

  test('AWS Powertools: asctime-like time with offset, service, X-Ray id', () => {
    const r = one('{"level":"INFO","location":"handler:12","message":"Collecting payment","timestamp":"2021-05-03 10:20:19,650+0200","service":"payment","cold_start":true,"xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793"}');
    expect(r.timeNs).toBe(1620030019650000000n);
    expect(r.service).toBe('payment');
    expect(r.traceId).toBe('5759e988bd862e3fe1be46a994272793');
  });

  test('Python console span exporter (single-line): 0x ids, SpanKind.SERVER, ISO start/end', () => {
    const r = one('{"name":"GET /users","context":{"trace_id":"0x4bf92f3577b34da6a3ce929d0e0e4736","span_id":"0x00f067aa0ba902b7"},"kind":"SpanKind.SERVER","parent_id":null,"start_time":"2024-06-01T12:00:00.000000Z","end_time":"2024-06-01T12:00:00.250000Z","status":{"status_code":"ERROR","description":"boom"},"attributes":{"http.method":"GET"}}');
    expect(core(r)).toEqual({
      timeNs: NOON, level: null, message: 'GET /users', service: null,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: 250, error: 'boom',
    });
    expect(r.spanName).toBe('GET /users');
    expect(r.spanKind).toBe('server');
  });
});
