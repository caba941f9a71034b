// Lines that are not JSON objects are malformed (null), never exceptions; CRLF lines still parse.
import { expect, test } from 'vitest';
import { normaliseLine } from '../../src/normalise/normalise.js';
import { one } from './helpers.js';

const norm = (text: string) => normaliseLine({ text, origin: 'app.log', lineNo: 3 });

test.each([
  ['truncated JSON', '{"level":"info","msg":"cut he'],
  ['plain text', 'Starting server on :8080'],
  ['a Java stack continuation', '\tat com.acme.Pay.charge(Pay.java:42)'],
  ['NUL bytes', '{"level":"info","msg":"a\u0000b"}'],
  ['NUL padding after a crash', '\u0000\u0000\u0000\u0000'],
  ['a bare string', '"just a string"'],
  ['a bare number', '42'],
  ['an array', '[{"msg":"x"}]'],
  ['null', 'null'],
  ['empty', ''],
  ['a lone CR', '\r'],
])('%s → null', (_name, text) => {
  expect(norm(text)).toBeNull();
});

test('CRLF line ends parse normally', () => {
  const r = one('{"level":"error","msg":"boom","time":"2024-06-01T12:00:00Z"}\r');
  expect([r.level, r.message]).toEqual(['error', 'boom']);
});

test('origin and line number are carried', () => {
  const r = one('{"msg":"x"}');
  expect([r.origin, r.lineNo]).toEqual(['app.log', 7]);
});

test('odd value types never throw and leave fields empty', () => {
  const r = one('{"time":{"nested":true},"level":[1],"msg":{"a":1},"trace_id":123.5,"span_id":true,"duration":"soon","status":"ok"}');
  expect([r.timeNs, r.level, r.message, r.traceId, r.spanId, r.durationMs, r.http]).toEqual([null, null, '', null, null, null, undefined]);
  expect(r.attributes).toMatchObject({ 'time.nested': true, level: [1], 'msg.a': 1, duration: 'soon', status: 'ok' });
});

test('values that are names of Object.prototype members are not levels, units or kinds', () => {
  const r = one('{"level":"constructor","msg":"x","span.kind":"toString","duration":"1constructor"}');
  expect([r.level, r.spanKind, r.durationMs]).toEqual([null, undefined, null]);
  expect(one('{"@t":"2024-06-01T12:00:00Z","@mt":"{constructor}"}').message).toBe('{constructor}');
});

test('a generic path key alone is not an HTTP route', () => {
  const r = one('{"msg":"file read","path":"/etc/app.yaml"}');
  expect(r.http).toBeUndefined();
  expect(r.attributes).toEqual({ path: '/etc/app.yaml' });
  expect(one('{"msg":"x","path":"/users","status":404}').http).toEqual({ route: '/users', status: 404 });
});

test('a bare `trace` key is a trace id only in the GCP projects/… form', () => {
  expect(one('{"msg":"x","trace":"verbose"}').traceId).toBeNull();
  expect(one('{"msg":"x","trace":"projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}').traceId)
    .toBe('4bf92f3577b34da6a3ce929d0e0e4736');
});
