// The value readers behind the alias table: times, levels, durations, gRPC codes.
import { describe, expect, test } from 'vitest';
import { parseDuration, parseDurationString } from '../../src/normalise/duration.js';
import { grpcCode, grpcCodeIsError, grpcCodeName } from '../../src/normalise/grpc-codes.js';
import { parseLevel } from '../../src/normalise/level.js';
import { parseTime } from '../../src/normalise/time.js';
import { NOON, one } from './helpers.js';

describe('parseTime strings', () => {
  test.each([
    ['2024-06-01T12:00:00Z', NOON],
    ['2024-06-01T12:00:00.1Z', NOON + 100_000_000n],
    ['2024-06-01T12:00:00.123456789Z', NOON + 123_456_789n],
    ['2024-06-01T12:00:00.1234567891Z', NOON + 123_456_789n], // beyond ns: cut
    ['2024-06-01t12:00:00z', NOON],
    ['2024-06-01T14:00:00+02:00', NOON],
    ['2024-06-01T14:00:00.000+0200', NOON],
    ['2024-06-01T14:00:00+02', NOON],
    ['2024-06-01T07:30:00-04:30', NOON],
    ['2024-06-01 12:00:00,5', NOON + 500_000_000n], // asctime: UTC when no zone
    ['2024-06-01 12:00:00', NOON],
    ['1717243200', NOON],
    ['1717243200123', NOON + 123_000_000n],
  ])('%s', (text, ns) => {
    expect(parseTime(text)).toBe(ns);
  });

  test.each(['yesterday', '2024-13-01T00:00:00Z', '2024-06-01T12:00', '2024-06-01T12:00:00Q', '', '-5', '12ab'])('%s → null', (text) => {
    expect(parseTime(text)).toBeNull();
  });

  test('zero and negative epochs are absent (OTLP writes 0 for unset)', () => {
    expect(parseTime(0)).toBeNull();
    expect(parseTime('0')).toBeNull();
    expect(parseTime(-1)).toBeNull();
  });

  test('float seconds keep the written digits', () => {
    expect(parseTime(1717243200.123456)).toBe(NOON + 123_456_000n);
    expect(parseTime(1717243200123.456)).toBe(NOON + 123_456_000n); // float ms
  });
});

describe('parseLevel', () => {
  test('OTel severityNumber ranges', () => {
    expect([1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25].map((n) => parseLevel(n, 'otel')))
      .toEqual(['trace', 'trace', 'debug', 'debug', 'info', 'info', 'warn', 'warn', 'error', 'error', 'fatal', 'fatal', null]);
  });

  test('logback level_value', () => {
    expect([5000, 10000, 20000, 30000, 40000].map((n) => parseLevel(n, 'logback'))).toEqual(['trace', 'debug', 'info', 'warn', 'error']);
  });

  test('words of many libraries, any case', () => {
    const words = ['TRACE', 'Verbose', 'dbug', 'Information', 'NOTICE', 'warning', 'WARN', 'eror', 'ERR', 'SEVERE', 'dpanic', 'CRIT', 'Fatal', 'panic', 'EMERGENCY'];
    expect(words.map((w) => parseLevel(w, undefined))).toEqual(
      ['trace', 'trace', 'debug', 'info', 'info', 'warn', 'warn', 'error', 'error', 'error', 'error', 'fatal', 'fatal', 'fatal', 'fatal'],
    );
  });

  test('numbers as strings, syslog numbers (GELF), unknown words', () => {
    expect(parseLevel('50', undefined)).toBe('error');
    expect(parseLevel(3, undefined)).toBe('error');
    expect(parseLevel(6, undefined)).toBe('info');
    expect(parseLevel('loud', undefined)).toBeNull();
  });

  test('on a line: severityNumber is preferred to severityText', () => {
    expect(one('{"severityText":"Information","severityNumber":13,"body":"x"}').level).toBe('warn');
  });
});

describe('durations', () => {
  test.each([
    ['1h2m3.5s', 3_723_500],
    ['250ms', 250],
    ['1.5µs', 0.0015],
    ['1.5μs', 0.0015],
    ['1.5us', 0.0015],
    ['375ns', 0.000375],
    ['0.012s', 12],
    ['2m', 120_000],
  ])('%s', (text, ms) => {
    expect(parseDurationString(text)).toBeCloseTo(ms, 9);
  });

  test.each(['fast', '10 parsecs', '-1s', '', 's'])('%s → null', (text) => {
    expect(parseDurationString(text)).toBeNull();
  });

  test('unit order: key unit, then string unit, then library default, else ms guessed', () => {
    expect(parseDuration(2, 's', 'ns')).toEqual({ ms: 2000, guessed: false });
    expect(parseDuration('2s', 'ns', undefined)).toEqual({ ms: 2000, guessed: false });
    expect(parseDuration(2_000_000, undefined, 'ns')).toEqual({ ms: 2, guessed: false });
    expect(parseDuration(2, undefined, undefined)).toEqual({ ms: 2, guessed: true });
  });

  test('unit-suffixed keys on lines', () => {
    expect(one('{"msg":"x","duration_ms":12.5}').durationMs).toBe(12.5);
    expect(one('{"msg":"x","elapsed_ns":2500000}').durationMs).toBe(2.5);
    expect(one('{"msg":"x","latency_us":1500}').durationMs).toBe(1.5);
    expect(one('{"msg":"x","duration_seconds":0.25}').durationMs).toBe(250);
    expect(one('{"msg":"x","durationMs":7}').durationMs).toBe(7);
    expect(one('{"msg":"x","duration":"1.5s"}').durationMs).toBe(1500);
  });

  test('an explicit unit key wins over a unitless one', () => {
    expect(one('{"msg":"x","latency":5,"latency_ms":7}').durationMs).toBe(7);
  });
});

describe('gRPC codes', () => {
  test('names ↔ numbers in every spelling', () => {
    expect(['OK', 'CANCELLED', 'Canceled', 'DeadlineExceeded', 'DEADLINE_EXCEEDED', 'not_found', 'Unauthenticated', 'STATUS_CODE_UNAVAILABLE', '13', 16].map(grpcCode))
      .toEqual([0, 1, 1, 4, 4, 5, 16, 14, 13, 16]);
    expect([grpcCode('Nope'), grpcCode(17), grpcCode(-1), grpcCode(null)]).toEqual([null, null, null, null]);
    expect(grpcCodeName(4)).toBe('DEADLINE_EXCEEDED');
    expect(grpcCodeName(99)).toBeNull();
  });

  test('errors: not OK and not a cancel', () => {
    expect([0, 1, 2, 4, 13, 14, 16].map(grpcCodeIsError)).toEqual([false, false, true, true, true, true, true]);
  });

  test('OTel rpc attributes on a line', () => {
    const r = one('{"msg":"x","rpc.service":"shop.Cart","rpc.method":"Get","rpc.grpc.status_code":5}');
    expect(r.grpc).toEqual({ service: 'shop.Cart', method: 'Get', code: 5 });
    expect(one('{"msg":"x","rpc.response.status_code":"UNAVAILABLE"}').grpc).toEqual({ code: 14 });
  });
});
