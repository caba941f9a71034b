import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStreamsBody, UnexpectedBodyError } from '../../src/sources/loki/response.js';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki.js';
import { fixture } from './fixtures.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parsing recorded Loki 2.8 query_range bodies', () => {
  it('flattens the line-filter answer into 18 entries merged across streams by time', () => {
    const entries = parseStreamsBody(fixture('query_range_line_filter_backward.json'), 'backward');
    expect(entries).toHaveLength(18);
    for (const e of entries) expect(e.line).toContain(TRACE);
    const times = entries.map((e) => e.timeNs);
    // Loki lists streams by labels (inventory, order, payment…); the merge puts them in time order.
    expect(times).toEqual([...times].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(new Set(entries.map((e) => e.labels.service_name))).toEqual(new Set(['order-service', 'payment-service', 'inventory-service']));
    expect(entries[0]).toMatchObject({ timeNs: 1795641272324000000n, labels: { env: 'dev', level: 'error', service_name: 'inventory-service' } });
  });

  it('keeps 19-digit timestamps exact', () => {
    const entries = parseStreamsBody(fixture('query_range_rfc3339_forward.json'), 'forward');
    expect(entries.map((e) => e.timeNs)).toEqual([1795641265824000000n, 1795641266074000000n, 1795641266324000000n]);
  });

  it('reads | json answers where every line is its own stream', () => {
    const entries = parseStreamsBody(fixture('query_range_json_trace_forward.json'), 'forward');
    expect(entries.length).toBe(18);
    expect(entries[0]!.labels.level_extracted).toBeDefined();
    expect(entries.every((e, i) => i === 0 || entries[i - 1]!.timeNs <= e.timeNs)).toBe(true);
  });

  it('reads the limit-hit answer (no truncation flag, just 5 entries) and the empty answer', () => {
    expect(parseStreamsBody(fixture('query_range_limit_hit.json'), 'backward')).toHaveLength(5);
    expect(parseStreamsBody(fixture('query_range_empty_result.json'), 'backward')).toEqual([]);
  });

  it('refuses a metric (matrix) answer with a reason', () => {
    expect(() => parseStreamsBody(fixture('query_range_matrix.json'), 'forward')).toThrow(/resultType matrix/);
  });

  it('refuses an error body served as JSON content-type', () => {
    expect(() => parseStreamsBody(fixture('error_400_parse_error.txt'), 'forward')).toThrow(UnexpectedBodyError);
  });

  it('accepts the Loki 3 value shape with structured metadata and parsed labels', () => {
    const body = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'streams',
        encodingFlags: ['categorize-labels'],
        result: [
          {
            stream: { service_name: 'api' },
            values: [
              ['1795641265824000000', 'no id in the text', { structuredMetadata: { trace_id: TRACE }, parsed: { level: 'error' } }],
              ['1795641265824000001', 'plain', {}],
              ['1795641265824000002', 'two-element'],
            ],
          },
        ],
      },
    });
    const entries = parseStreamsBody(body, 'forward');
    expect(entries.map((e) => e.labels)).toEqual([
      { service_name: 'api', trace_id: TRACE, level: 'error' },
      { service_name: 'api' },
      { service_name: 'api' },
    ]);
  });
});

/** Keys and value types, recursively; arrays by their first element. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  }
  return typeof value;
}

describe('the fake Loki answers in the recorded shapes', () => {
  let loki: FakeLoki;
  const start = '1795640963824000000';
  const end = '1795641369672629544';
  beforeAll(async () => {
    const pushed = JSON.parse(fixture('push_request_sample.json')) as { streams: Array<{ stream: Record<string, string>; values: [string, string][] }> };
    // The sample was regenerated later; shifted so its first line sits at the recorded first push
    // (1795641263824000000), it reproduces the recorded answers' timestamps and labels exactly.
    const all = pushed.streams.flatMap((s) => s.values.map(([ts, line]) => ({ labels: s.stream, timeNs: BigInt(ts), line })));
    const shift = 1795641263824000000n - all.reduce((min, e) => (e.timeNs < min ? e.timeNs : min), all[0]!.timeNs);
    loki = await startFakeLoki({ entries: all.map((e) => ({ ...e, timeNs: e.timeNs + shift })) });
  });
  afterAll(() => loki.close());

  async function get(params: Record<string, string>) {
    const res = await fetch(`${loki.url}/loki/api/v1/query_range?${new URLSearchParams(params)}`);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  }

  it('matches the success body shape, stats block included', async () => {
    const res = await get({ query: `{service_name=~".+"} |= "${TRACE}"`, start, end, limit: '100', direction: 'backward' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    const ours = JSON.parse(res.body);
    const recorded = JSON.parse(fixture('query_range_line_filter_backward.json'));
    expect(shape(ours)).toEqual(shape(recorded));
    const streams = (doc: { data: { result: Array<{ stream: Record<string, string>; values: string[][] }> } }) =>
      doc.data.result.map((r) => ({ stream: r.stream, times: r.values.map((v) => v[0]) }));
    // Same streams in the same order (by labels), same entries newest first.
    expect(streams(ours)).toEqual(streams(recorded));
  });

  it('matches the empty body shape', async () => {
    const res = await get({ query: '{service_name="order-service"} |= "no-such-trace-id"', start, end, limit: '100' });
    expect(shape(JSON.parse(res.body))).toEqual(shape(JSON.parse(fixture('query_range_empty_result.json'))));
  });

  it.each([
    ['error_400_parse_error.txt', { query: '{service_name="order-service"', start, end }],
    ['error_400_empty_compatible_matcher.txt', { query: '{service_name=~".*"} |= "x"', start, end }],
    ['error_400_query_length_exceeded.txt', { query: `{service_name=~".+"} |= "${TRACE}"`, start: '1792876569672629544', end: '1795641369672629544', limit: '100' }],
    ['error_400_max_entries_limit.txt', { query: `{service_name=~".+"} |= "${TRACE}"`, start, end, limit: '5001' }],
    ['error_400_end_before_start.txt', { query: '{service_name=~".+"}', start: end, end: start }],
    ['error_400_invalid_direction.txt', { query: '{service_name=~".+"}', start, end, direction: 'newest' }],
    ['error_400_bad_timestamp.txt', { query: '{service_name=~".+"}', start: 'yesterday', end }],
    ['error_400_limit_zero.txt', { query: '{service_name=~".+"}', start, end, limit: '0' }],
  ])('answers like %s', async (file, params) => {
    const res = await get(params as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/json; charset=UTF-8');
    expect(res.body).toBe(fixture(file));
  });

  it('takes RFC3339 and second timestamps, start inclusive and end exclusive', async () => {
    const first = parseStreamsBody(fixture('query_range_rfc3339_forward.json'), 'forward')[0]!;
    const atFirst = first.timeNs.toString();
    const res = await get({ query: '{service_name="order-service", level="error"}', start: atFirst, end: (first.timeNs + 1n).toString(), direction: 'forward' });
    expect(parseStreamsBody(res.body, 'forward').map((e) => e.timeNs)).toEqual([first.timeNs]);
    const excl = await get({ query: '{service_name="order-service", level="error"}', start: (first.timeNs - 1n).toString(), end: atFirst });
    expect(parseStreamsBody(excl.body, 'backward')).toEqual([]);
    const rfc = await get({ query: '{service_name="order-service"}', start: '2026-11-25T21:00:00Z', end: '2026-11-25T22:00:00Z', limit: '3', direction: 'forward' });
    const secs = await get({ query: '{service_name="order-service"}', start: '1795640400', end: '1795644000', limit: '3', direction: 'forward' });
    expect(rfc.status).toBe(200);
    expect(rfc.body).toBe(secs.body);
  });

  it('is backward by default and 404s unknown paths as Loki does', async () => {
    const res = await get({ query: `{service_name=~".+"} |= "${TRACE}"`, start, end, limit: '2' });
    const entries = parseStreamsBody(res.body, 'backward');
    expect(entries[0]!.timeNs).toBe(1795641272324000000n);
    const missing = await fetch(`${loki.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('404 page not found');
  });
});
