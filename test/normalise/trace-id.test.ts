import { describe, expect, test } from 'vitest';
import {
  canonicalSpanId, canonicalTraceId, traceIdNeedles, traceIdMatcher, traceIdsMatch, traceIdTimeHint,
} from '../../src/trace-id.js';

describe('canonicalTraceId', () => {
  test.each([
    ['4BF92F3577B34DA6A3CE929D0E0E4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['0x4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['1-5759e988-bd862e3fe1be46a994272793', '5759e988bd862e3fe1be46a994272793'],
    ['projects/my-proj/traces/4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['2941888918638909251', '28d3b0627c215743'], // Datadog decimal
    ['18446744073709551615', 'ffffffffffffffff'], // 2^64-1, 20 digits
    ['12345', '0000000000003039'],
    ['1234567890123456', '1234567890123456'], // 16 digits: read as hex
    ['12345678901234567890123456789012', '12345678901234567890123456789012'], // 32 digits: hex
    ['F47AC10B-58CC-4372-A567-0E02B2C3D479', 'f47ac10b-58cc-4372-a567-0e02b2c3d479'],
    ['1717243200123-DEADBEEF', '1717243200123-deadbeef'],
    ['req-42', 'req-42'],
    ['', ''],
    ['0', ''],
    ['00000000000000000000000000000000', ''],
    ['0000000000000000', ''],
  ])('%s → %s', (input, expected) => {
    expect(canonicalTraceId(input)).toBe(expected);
  });
});

describe('canonicalSpanId', () => {
  test('hex lower-cased, decimal strings and numbers to 16 hex, sentinels null', () => {
    expect(canonicalSpanId('00F067AA0BA902B7')).toBe('00f067aa0ba902b7');
    expect(canonicalSpanId('6321939096051828600')).toBe('57bc0a1cdfd2c778');
    expect(canonicalSpanId(6321939096051828600n)).toBe('57bc0a1cdfd2c778');
    expect(canonicalSpanId(42)).toBe('000000000000002a');
    // A JSON number is decimal even at 16 digits.
    expect(canonicalSpanId(1234567890123456)).toBe('000462d53c8abac0');
    expect(canonicalSpanId('')).toBeNull();
    expect(canonicalSpanId('0')).toBeNull();
    expect(canonicalSpanId('0000000000000000')).toBeNull();
    expect(canonicalSpanId(undefined)).toBeNull();
    expect(canonicalSpanId({})).toBeNull();
  });
});

describe('traceIdMatcher', () => {
  test('answers as traceIdsMatch for every pair, asked twice (its memo included)', () => {
    const ids = [
      '4bf92f3577b34da6a3ce929d0e0e4736', '4BF92F3577B34DA6A3CE929D0E0E4736', 'a3ce929d0e0e4736', '4bf92f3577b34da6',
      '2941888918638909251', '28d3b0627c215743', '1234567890123456', '000462d53c8abac0', '1-5759e988-bd862e3fe1be46a994272793',
      '5759e988bd862e3fe1be46a994272793', 'req-1', 'REQ-1', '', '0',
    ];
    for (const typed of ids) {
      const matches = traceIdMatcher(typed);
      for (const round of [1, 2]) for (const id of ids) expect(matches(id), `${typed} ~ ${id} (round ${round})`).toBe(traceIdsMatch(id, typed));
    }
  });
});

describe('traceIdsMatch', () => {
  const full = '4bf92f3577b34da6a3ce929d0e0e4736';
  test('case, prefixes and vendor forms', () => {
    expect(traceIdsMatch(full, full.toUpperCase())).toBe(true);
    expect(traceIdsMatch('0x' + full, `projects/p/traces/${full}`)).toBe(true);
    expect(traceIdsMatch('1-5759e988-bd862e3fe1be46a994272793', '5759E988BD862E3FE1BE46A994272793')).toBe(true);
  });
  test('64-bit id matches the low half of a 128-bit id, both ways', () => {
    expect(traceIdsMatch('a3ce929d0e0e4736', full)).toBe(true);
    expect(traceIdsMatch(full, 'A3CE929D0E0E4736')).toBe(true);
    expect(traceIdsMatch('4bf92f3577b34da6', full)).toBe(false); // the high half is not the id
  });
  test('Datadog decimal matches the hex of its low 64 bits', () => {
    expect(traceIdsMatch('2941888918638909251', '28d3b0627c215743')).toBe(true);
    expect(traceIdsMatch('2941888918638909251', '000000000000000028d3b0627c215743')).toBe(true);
  });
  test('a 16-digit decimal still matches its hex form', () => {
    expect(traceIdsMatch('1234567890123456', '000462d53c8abac0')).toBe(true);
  });
  test('sentinels and different ids never match', () => {
    expect(traceIdsMatch('', '')).toBe(false);
    expect(traceIdsMatch('0', '0')).toBe(false);
    expect(traceIdsMatch(full, 'b3ce929d0e0e4736')).toBe(false);
    expect(traceIdsMatch('req-1', 'REQ-1')).toBe(false);
  });
});

describe('traceIdNeedles', () => {
  test('32 hex: its low half in both cases and as Datadog decimal', () => {
    expect(traceIdNeedles('4BF92F3577B34DA6A3CE929D0E0E4736').sort()).toEqual(
      ['11803532876627986230', 'A3CE929D0E0E4736', 'a3ce929d0e0e4736'].sort(),
    );
  });
  test('a Datadog decimal id: hex of both cases and the decimal', () => {
    expect(traceIdNeedles('2941888918638909251').sort()).toEqual(['28D3B0627C215743', '28d3b0627c215743', '2941888918638909251'].sort());
  });
  test('every needle set finds the id in each encoding a line may use', () => {
    const needles = traceIdNeedles('4bf92f3577b34da6a3ce929d0e0e4736');
    const lines = [
      '{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}',
      '{"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736"}',
      '{"X-B3-TraceId":"a3ce929d0e0e4736"}',
      '{"dd.trace_id":"11803532876627986230"}',
      '{"logging.googleapis.com/trace":"projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736"}',
    ];
    for (const line of lines) expect(needles.some((n) => line.includes(n)), line).toBe(true);
  });
  test('X-Ray ids are found in their dashed form', () => {
    const needles = traceIdNeedles('5759e988bd862e3fe1be46a994272793');
    expect(needles.some((n) => '"xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793"'.includes(n))).toBe(true);
  });
  test('UUIDs and ms-hex ids: both cases; other ids as written', () => {
    expect(traceIdNeedles('F47AC10B-58CC-4372-A567-0E02B2C3D479').sort()).toEqual(
      ['F47AC10B-58CC-4372-A567-0E02B2C3D479', 'f47ac10b-58cc-4372-a567-0e02b2c3d479'],
    );
    expect(traceIdNeedles('1717243200123-deadbeef').sort()).toEqual(['1717243200123-DEADBEEF', '1717243200123-deadbeef']);
    expect(traceIdNeedles('req-42')).toEqual(['req-42']);
    expect(traceIdNeedles('0')).toEqual([]);
  });
  test('minimal: no needle contains another', () => {
    for (const id of ['4bf92f3577b34da6a3ce929d0e0e4736', '1234567890123456', '0000000000000001', 'abc']) {
      const needles = traceIdNeedles(id);
      for (const a of needles) for (const b of needles) if (a !== b) expect(a.includes(b), `${a} ⊃ ${b}`).toBe(false);
    }
  });
  test('a 16-digit id also looks for the hex of its decimal reading', () => {
    expect(traceIdNeedles('1234567890123456')).toContain('000462d53c8abac0');
  });
});

describe('traceIdTimeHint', () => {
  test('<unix-ms>-<hex> and X-Ray ids carry a time; others do not', () => {
    expect(traceIdTimeHint('1717243200123-deadbeef')).toBe(1717243200123000000n);
    expect(traceIdTimeHint('1-5759e988-bd862e3fe1be46a994272793')).toBe(0x5759e988n * 1_000_000_000n);
    expect(traceIdTimeHint('4bf92f3577b34da6a3ce929d0e0e4736')).toBeNull();
    expect(traceIdTimeHint('f47ac10b-58cc-4372-a567-0e02b2c3d479')).toBeNull();
  });
});
