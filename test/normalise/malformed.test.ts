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
