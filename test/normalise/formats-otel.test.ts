// OpenTelemetry: log-bridge lines, OTLP/JSON resourceLogs and resourceSpans documents, Jaeger UI
// JSON, Zipkin v2 and Go stdouttrace span dumps.
import { describe, expect, test } from 'vitest';
import { core, many, MS, NOON, one } from './helpers.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

test('OTel appender line: trace_id/span_id/trace_flags', () => {
  const r = one(`{"timestamp":"2024-06-01T12:00:00Z","level":"INFO","message":"ok","trace_id":"${TRACE}","span_id":"00f067aa0ba902b7","trace_flags":"01","service.name":"cart"}`);
  expect([r.traceId, r.spanId, r.service]).toEqual([TRACE, '00f067aa0ba902b7', 'cart']);
  expect(r.attributes).toEqual({ trace_flags: '01' });
});

test('unknown_service is no service', () => {
  expect(one('{"msg":"x","service.name":"unknown_service:node"}', { labels: { service_name: 'web' } }).service).toBe('web');
});

describe('OTLP/JSON resourceLogs', () => {
  const doc = JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [
        { key: 'service.name', value: { stringValue: 'checkout' } },
        { key: 'host.name', value: { stringValue: 'node-7' } },
      ] },
      scopeLogs: [{
        scope: { name: 'checkout.payments' },
        logRecords: [
          {
            timeUnixNano: '1717243200123000000', severityNumber: 17, severityText: 'ERROR',
            body: { stringValue: 'payment failed' },
            attributes: [
              { key: 'http.response.status_code', value: { intValue: '502' } },
              { key: 'http.request.method', value: { stringValue: 'POST' } },
              { key: 'exception.message', value: { stringValue: 'gateway down' } },
            ],
            traceId: TRACE, spanId: '00f067aa0ba902b7',
          },
          {
            timeUnixNano: '0', observedTimeUnixNano: '1717243200200000001', severityNumber: 9, severityText: 'Information',
            body: { kvlistValue: { values: [{ key: 'order', value: { intValue: '7' } }] } },
            traceId: '', spanId: '',
          },
        ],
      }],
    }],
  });

  test('one record per log record, resource attributes copied down', () => {
    const [a] = many(doc);
    expect(core(a!)).toEqual({
      timeNs: NOON + 123n * MS, level: 'error', message: 'payment failed', service: 'checkout',
      traceId: TRACE, spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: null, error: 'gateway down',
    });
    expect(a!.http).toEqual({ method: 'POST', status: 502 });
    expect(a!.host).toBe('node-7');
    expect(a!.attributes).toEqual({ 'otel.scope.name': 'checkout.payments' });
    expect(a!.origin).toBe('export.json');
  });

  test('severityNumber beats free-text severityText; observed time when time is 0; empty ids are absent', () => {
    const b = many(doc)[1]!;
    expect(b.level).toBe('info');
    expect(b.timeNs).toBe(NOON + 200_000_001n);
    expect([b.traceId, b.spanId]).toEqual([null, null]);
    expect(b.message).toBe('{"order":7}');
    expect(b.service).toBe('checkout');
  });

  test('an empty batch is no records, not malformed', () => {
    expect(many('{"resourceLogs":[]}')).toEqual([]);
  });
});

describe('OTLP/JSON resourceSpans', () => {
  const doc = JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
      scopeSpans: [{
        scope: { name: 'orders.http' },
        spans: [
          {
            traceId: TRACE, spanId: '00f067aa0ba902b7', parentSpanId: '', name: 'POST /orders', kind: 2,
            startTimeUnixNano: '1717243200000000000', endTimeUnixNano: '1717243200250500000',
            attributes: [{ key: 'http.request.method', value: { stringValue: 'POST' } }, { key: 'http.response.status_code', value: { intValue: 500 } }],
            status: { code: 2 },
            events: [{
              timeUnixNano: '1717243200100000000', name: 'exception',
              attributes: [
                { key: 'exception.type', value: { stringValue: 'TimeoutError' } },
                { key: 'exception.message', value: { stringValue: 'db timed out' } },
                { key: 'exception.stacktrace', value: { stringValue: 'TimeoutError: db timed out\n  at q()' } },
              ],
            }],
          },
          {
            traceId: TRACE, spanId: 'b7ad6b7169203331', parentSpanId: '00f067aa0ba902b7', name: 'SELECT orders', kind: 3,
            startTimeUnixNano: '1717243200010000000', endTimeUnixNano: '1717243200110000000',
            status: { code: 2, message: 'deadline exceeded' },
          },
          {
            traceId: TRACE, spanId: 'c7ad6b7169203331', parentSpanId: '00f067aa0ba902b7', name: 'publish', kind: 4,
            startTimeUnixNano: '1717243200200000000', endTimeUnixNano: '1717243200201000000',
          },
        ],
      }],
    }],
  });

  test('a span is a record at its start with its duration, kind and error; events are extra records', () => {
    const [server, event, client, producer] = many(doc);
    expect(core(server!)).toEqual({
      timeNs: NOON, level: 'error', message: 'POST /orders', service: 'orders',
      traceId: TRACE, spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: 250.5, error: 'db timed out',
    });
    expect(server!.spanName).toBe('POST /orders');
    expect(server!.spanKind).toBe('server');
    expect(server!.http).toEqual({ method: 'POST', status: 500 });

    expect(core(event!)).toEqual({
      timeNs: NOON + 100n * MS, level: 'error', message: 'exception', service: 'orders',
      traceId: TRACE, spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: null, error: 'db timed out',
    });
    expect(event!.errorStack).toBe('TimeoutError: db timed out\n  at q()');

    expect(core(client!)).toMatchObject({ parentSpanId: '00f067aa0ba902b7', durationMs: 100, error: 'deadline exceeded' });
    expect(client!.spanKind).toBe('client');
    expect(producer!.spanKind).toBe('producer');
    expect(producer!.error).toBeNull();
    expect(producer!.level).toBe('info');
  });
});

describe('Jaeger UI JSON', () => {
  const doc = JSON.stringify({
    data: [{
      traceID: TRACE,
      spans: [
        {
          traceID: TRACE, spanID: '00f067aa0ba902b7', operationName: 'GET /cart', references: [],
          startTime: 1717243200000000, duration: 120000,
          tags: [{ key: 'span.kind', type: 'string', value: 'server' }, { key: 'http.status_code', type: 'int64', value: 200 }],
          logs: [], processID: 'p1',
        },
        {
          traceID: TRACE, spanID: 'f067aa0ba902b7', operationName: 'redis GET', // leading zeros dropped by Jaeger
          references: [{ refType: 'CHILD_OF', traceID: TRACE, spanID: '00f067aa0ba902b7' }],
          startTime: 1717243200010000, duration: 5500,
          tags: [{ key: 'error', type: 'bool', value: true }, { key: 'span.kind', type: 'string', value: 'client' }],
          logs: [{ timestamp: 1717243200012000, fields: [{ key: 'event', type: 'string', value: 'error' }, { key: 'message', type: 'string', value: 'connection refused' }] }],
          processID: 'p2',
        },
      ],
      processes: {
        p1: { serviceName: 'cart', tags: [{ key: 'hostname', type: 'string', value: 'cart-1' }] },
        p2: { serviceName: 'cache-client', tags: [] },
      },
    }],
  });

  test('one record per span, CHILD_OF parent, µs times, services from processes, error tag and logs', () => {
    const [cart, redis, log] = many(doc);
    expect(core(cart!)).toEqual({
      timeNs: NOON, level: 'info', message: 'GET /cart', service: 'cart',
      traceId: TRACE, spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: 120, error: null,
    });
    expect([cart!.spanKind, cart!.host, cart!.http]).toEqual(['server', 'cart-1', { status: 200 }]);
    expect(core(redis!)).toEqual({
      timeNs: NOON + 10n * MS, level: 'error', message: 'redis GET', service: 'cache-client',
      traceId: TRACE, spanId: '00f067aa0ba902b7'.replace('00f0', '00f0'), parentSpanId: '00f067aa0ba902b7', durationMs: 5.5,
      error: 'connection refused',
    });
    expect(core(log!)).toMatchObject({ timeNs: NOON + 12n * MS, spanId: '00f067aa0ba902b7', error: 'connection refused', level: 'error' });
  });
});

describe('span dumps, one per line', () => {
  test('Zipkin v2: µs timestamp and duration, kind, localEndpoint service, tags', () => {
    const r = one(`{"traceId":"${TRACE}","parentId":"00f067aa0ba902b7","id":"b7ad6b7169203331","kind":"CLIENT","name":"get /users","timestamp":1717243200123456,"duration":15000,"localEndpoint":{"serviceName":"frontend"},"tags":{"http.method":"GET","http.status_code":"503","error":"upstream 503"}}`);
    expect(core(r)).toEqual({
      timeNs: NOON + 123_456_000n, level: null, message: 'get /users', service: 'frontend',
      traceId: TRACE, spanId: 'b7ad6b7169203331', parentSpanId: '00f067aa0ba902b7', durationMs: 15, error: 'upstream 503',
    });
    expect([r.spanName, r.spanKind]).toEqual(['get /users', 'client']);
    expect(r.http).toEqual({ method: 'GET', status: 503 });
  });

  test('OTel-JS console spans: 0-based numeric kinds are not mapped', () => {
    const r = one(`{"traceId":"${TRACE}","parentId":"00f067aa0ba902b7","name":"work","id":"b7ad6b7169203331","kind":1,"timestamp":1717243200000000,"duration":2000}`);
    expect(r.spanKind).toBeUndefined();
    expect(r.durationMs).toBe(2);
  });

  test('Go stdouttrace: SpanContext, Parent, OTLP-numbered SpanKind, Start/EndTime, Status', () => {
    const r = one(`{"Name":"charge","SpanContext":{"TraceID":"${TRACE}","SpanID":"b7ad6b7169203331"},"Parent":{"TraceID":"${TRACE}","SpanID":"00f067aa0ba902b7"},"SpanKind":3,"StartTime":"2024-06-01T12:00:00.5Z","EndTime":"2024-06-01T12:00:00.75Z","Status":{"Code":"Error","Description":"card declined"}}`);
    expect(core(r)).toEqual({
      timeNs: NOON + 500n * MS, level: null, message: 'charge', service: null,
      traceId: TRACE, spanId: 'b7ad6b7169203331', parentSpanId: '00f067aa0ba902b7', durationMs: 250, error: 'card declined',
    });
    expect(r.spanKind).toBe('client');
  });
});

test('Rust tracing close event: fields.message, span.name, time.busy + time.idle', () => {
  const r = one('{"timestamp":"2024-12-28T17:50:48.993552Z","level":"INFO","fields":{"message":"close","time.busy":"2.93ms","time.idle":"375ns"},"target":"app::db","span":{"name":"query"},"spans":[{"name":"request"}]}');
  expect(r.message).toBe('close');
  expect(r.spanName).toBe('query');
  expect(r.durationMs).toBeCloseTo(2.930375, 9);
  expect(r.attributes).toEqual({ target: 'app::db', spans: [{ name: 'request' }] });
});

test('Go stdouttrace: Attributes and Resource key/value lists', () => {
  const r = one(`{"Name":"GET /pay","SpanContext":{"TraceID":"${TRACE}","SpanID":"b7ad6b7169203331"},"Parent":{"SpanID":"0000000000000000"},"SpanKind":2,"StartTime":"2024-06-01T12:00:00Z","EndTime":"2024-06-01T12:00:00.1Z","Attributes":[{"Key":"http.request.method","Value":{"Type":"STRING","Value":"GET"}},{"Key":"http.response.status_code","Value":{"Type":"INT64","Value":503}}],"Resource":[{"Key":"service.name","Value":{"Type":"STRING","Value":"payments"}}],"Status":{"Code":"Unset","Description":""}}`);
  expect([r.service, r.parentSpanId, r.spanKind, r.error, r.durationMs]).toEqual(['payments', null, 'server', null, 100]);
  expect(r.http).toEqual({ method: 'GET', status: 503 });
});

test('Go stdoutlog: Timestamp, numeric Severity, Body {Type, Value}, TraceID/SpanID', () => {
  const r = one(`{"Timestamp":"2024-06-01T12:00:00Z","ObservedTimestamp":"2024-06-01T12:00:00.1Z","Severity":17,"SeverityText":"ERROR","Body":{"Type":"String","Value":"charge failed"},"Attributes":[{"Key":"order","Value":{"Type":"INT64","Value":7}}],"TraceID":"${TRACE}","SpanID":"00f067aa0ba902b7","TraceFlags":"01","Resource":[{"Key":"service.name","Value":{"Type":"STRING","Value":"billing"}}]}`);
  expect(core(r)).toEqual({
    timeNs: NOON, level: 'error', message: 'charge failed', service: 'billing',
    traceId: TRACE, spanId: '00f067aa0ba902b7', parentSpanId: null, durationMs: null, error: null,
  });
  expect(r.attributes).toMatchObject({ 'Attributes.order': 7 });
});

test('a log line with traceId, id and a numeric timestamp is not mistaken for a span dump', () => {
  const r = one(`{"timestamp":1717243200123,"traceId":"${TRACE}","id":"req-1","name":"bob","message":"user saved"}`);
  expect([r.spanId, r.spanName, r.message]).toEqual([null, null, 'user saved']);
  expect(r.attributes).toEqual({ id: 'req-1', name: 'bob' });
});

test('OTLP documents with int64 times as bare numbers keep every digit', () => {
  const doc = `{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{"traceId":"${TRACE}","spanId":"00f067aa0ba902b7","name":"x","kind":1,"startTimeUnixNano":1717243200123456789,"endTimeUnixNano":1717243200223456789}]}]}]}`;
  const [span] = many(doc);
  expect(span!.timeNs).toBe(NOON + 123_456_789n);
  expect(span!.durationMs).toBe(100);
  expect(span!.spanKind).toBe('internal');
});
