// docker json-file, CRI and logcli jsonl wrappers around the application's line.
import { describe, expect, test } from 'vitest';
import { normaliseLine } from '../../src/normalise/normalise.js';
import { core, MS, NOON, one } from './helpers.js';

describe('docker json-file', () => {
  test('the inner line is parsed; the line time wins over the wrapper time', () => {
    const r = one('{"log":"{\\"level\\":30,\\"time\\":1717243200123,\\"msg\\":\\"hi\\",\\"trace_id\\":\\"4bf92f3577b34da6a3ce929d0e0e4736\\"}\\n","stream":"stdout","time":"2024-06-01T12:00:05.123456789Z"}');
    expect(core(r)).toEqual({
      timeNs: NOON + 123n * MS, level: 'info', message: 'hi', service: null,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: null, parentSpanId: null, durationMs: null, error: null,
    });
    expect(r.attributes).toEqual({});
  });

  test('the wrapper time is the fallback', () => {
    const r = one('{"log":"{\\"level\\":\\"info\\",\\"msg\\":\\"hi\\"}\\n","stream":"stderr","time":"2024-06-01T12:00:00.123456789Z"}');
    expect(r.timeNs).toBe(NOON + 123_456_789n);
  });

  test('plain text inside the wrapper is malformed', () => {
    expect(normaliseLine({ text: '{"log":"panic: oops\\n","stream":"stderr","time":"2024-06-01T12:00:00Z"}', origin: 'c.log', lineNo: 1 })).toBeNull();
  });
});

describe('CRI', () => {
  test('full line: the JSON after the flag, CRI time as fallback', () => {
    const r = one('2024-06-01T12:00:00.123456789Z stdout F {"level":"info","msg":"hi"}');
    expect([r.timeNs, r.level, r.message]).toEqual([NOON + 123_456_789n, 'info', 'hi']);
  });

  test('a partial (P) piece that is whole JSON is parsed; a cut one is malformed', () => {
    expect(one('2024-06-01T12:00:00Z stderr P {"level":"warn","msg":"part"}').level).toBe('warn');
    expect(normaliseLine({ text: '2024-06-01T12:00:00Z stdout P {"level":"warn","msg":"cut', origin: 'c', lineNo: 1 })).toBeNull();
  });
});

describe('logcli jsonl', () => {
  test('line parsed, labels fill the service, timestamp is the fallback', () => {
    const r = one('{"labels":{"namespace":"shop","pod":"api-7d9f","container":"api","job":"shop/api"},"line":"{\\"level\\":\\"info\\",\\"msg\\":\\"hi\\"}","timestamp":"2024-06-01T12:00:00.123Z"}');
    expect([r.timeNs, r.level, r.message, r.service, r.host]).toEqual([NOON + 123n * MS, 'info', 'hi', 'api', 'api-7d9f']);
  });

  test('service_name label beats container; the line’s own service beats both', () => {
    const line = (inner: string) => `{"labels":{"service_name":"checkout","container":"app"},"line":${JSON.stringify(inner)},"timestamp":"2024-06-01T12:00:00Z"}`;
    expect(one(line('{"msg":"x"}')).service).toBe('checkout');
    expect(one(line('{"msg":"x","service":"payments"}')).service).toBe('payments');
  });
});
