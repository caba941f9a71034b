import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLoki, type FakeEntry, type FakeLoki } from '../support/fake-loki.js';
import { announceSkip, realLokiMissing, startRealLoki, type RealLoki } from '../support/real-loki.js';
import { runCli } from '../support/run-cli.js';

// The in-process fake stands in for Loki in the fault tests (HTML 504s, 401, TLS, 400 MB bodies),
// so its ordinary answers must be the real server's. Here both get the same lines and the same
// requests, and must answer alike: status, error text, which entries a limit keeps (where
// timestamps are shared) and in what order. Then the CLI must print the same thing from either.
announceSkip('test/loki/fake-vs-real.test.ts');

const NS_PER_MS = 1_000_000n;
const TRACE = 'c0ffee00c0ffee00c0ffee00c0ffee00';
/** A whole hour two days ago: old enough to be history, recent enough for this Loki to return. */
const T0_MS = Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000;
const T0 = BigInt(T0_MS) * NS_PER_MS;
const START = T0.toString();
const END = (T0 + 3_600_000n * NS_PER_MS).toString();

/**
 * 3 pods × 40 ticks; every tick is shared by the three pods, and two of them log the very same
 * text at it (the case that trips (timestamp, line) dedupe). Every fourth line of a pod is of
 * another trace, so line filters have something to drop.
 */
function entries(): FakeEntry[] {
  const out: FakeEntry[] = [];
  const labels = ['a', 'b', 'c'].map((pod) => ({ service_name: 'conform', pod }));
  for (let tick = 0; tick < 40; tick++) {
    for (const [p, l] of labels.entries()) {
      const trace = tick % 4 === 3 ? 'other0000000000000000000000000000' : TRACE;
      const text = p < 2 ? `cache miss ${tick}` : `pod c step ${tick}`;
      out.push({ labels: l, timeNs: T0 + BigInt(tick) * 250n * NS_PER_MS, line: JSON.stringify({ level: 'info', msg: text, trace_id: trace }) });
    }
  }
  return out;
}

type Params = Record<string, string>;
const traceQuery = `{service_name=~".+"} |= "${TRACE}"`;
const REQUESTS: Array<[string, Params]> = [
  ['a limit that cuts a shared timestamp, backward', { query: traceQuery, start: START, end: END, limit: '7', direction: 'backward' }],
  ['a limit that cuts a shared timestamp, forward', { query: traceQuery, start: START, end: END, limit: '7', direction: 'forward' }],
  ['everything, forward', { query: traceQuery, start: START, end: END, limit: '5000', direction: 'forward' }],
  ['one stream, != filter, default direction', { query: '{service_name="conform", pod="b"} != "cache miss 1"', start: START, end: END, limit: '10' }],
  ['a regexp selector and a |~ filter', { query: '{pod=~"a|c"} |~ "step [0-9]$"', start: START, end: END, limit: '100', direction: 'forward' }],
  ['end is exclusive', { query: traceQuery, start: START, end: (T0 + 250n * NS_PER_MS).toString(), limit: '100', direction: 'forward' }],
  ['RFC3339 bounds', { query: traceQuery, start: new Date(T0_MS).toISOString(), end: new Date(T0_MS + 1000).toISOString(), limit: '100', direction: 'forward' }],
  ['no match', { query: '{service_name="conform"} |= "no-such-trace"', start: START, end: END, limit: '100' }],
  ['unclosed selector', { query: '{service_name="conform"', start: START, end: END, limit: '100' }],
  ['empty-compatible matcher', { query: '{service_name=~".*"} |= "x"', start: START, end: END, limit: '100' }],
  ['limit above max_entries_limit', { query: traceQuery, start: START, end: END, limit: '5001' }],
  ['limit 0', { query: traceQuery, start: START, end: END, limit: '0' }],
  ['end before start', { query: traceQuery, start: END, end: START, limit: '100' }],
  ['a window longer than 721h', { query: traceQuery, start: (T0 - 800n * 3_600_000n * NS_PER_MS).toString(), end: END, limit: '100' }],
  ['a bad timestamp', { query: traceQuery, start: 'yesterday', end: END, limit: '100' }],
  ['a bad direction', { query: traceQuery, start: START, end: END, limit: '100', direction: 'sideways' }],
];

interface Answer {
  status: number;
  contentType: string;
  /** Error text, or for a success the streams by label text, each with its values in order. */
  body: string | Array<[string, unknown[]]>;
}

async function ask(base: string, params: Params): Promise<Answer> {
  const res = await fetch(`${base}/loki/api/v1/query_range?${new URLSearchParams(params)}`);
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status !== 200) return { status: res.status, contentType, body: text };
  const doc = JSON.parse(text) as { status: string; data: { resultType: string; result: Array<{ stream: Record<string, string>; values: unknown[] }> } };
  expect([doc.status, doc.data.resultType]).toEqual(['success', 'streams']);
  // Label order within `stream` is Go map order, and stream order is not part of the API.
  const streams = doc.data.result.map((s): [string, unknown[]] => [JSON.stringify(Object.entries(s.stream).sort()), s.values]);
  return { status: 200, contentType, body: streams.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

let real: RealLoki;
let fake: FakeLoki;
beforeAll(async () => {
  if (realLokiMissing) return;
  const data = entries();
  [real, fake] = await Promise.all([startRealLoki(), startFakeLoki({ entries: data })]);
  await real.push(data);
}, 90_000);
afterAll(async () => {
  await Promise.all([real?.close(), fake?.close()]);
}, 60_000);

describe.skipIf(realLokiMissing !== null)('the in-process fake answers as a real Loki 2.8.0 does', () => {
  it.each(REQUESTS)('%s', async (_name, params) => {
    const [a, b] = await Promise.all([ask(real.url, params), ask(fake.url, params)]);
    expect(b).toEqual(a);
  });

  it('the CLI prints the same trace from either', async () => {
    const window = ['--from', new Date(T0_MS).toISOString(), '--to', new Date(T0_MS + 3_600_000).toISOString()];
    const args = (url: string) => ['show', TRACE, '--loki', url, ...window, '--page-size', '7', '--format', 'logs', '--no-color'];
    const [a, b] = await Promise.all([runCli(args(real.url)), runCli(args(fake.url))]);
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    // 30 ticks of the trace × 3 pods: nothing lost to the shared timestamps and text.
    expect(a.stdout.match(/cache miss|pod c step/g)).toHaveLength(90);
  });
});
