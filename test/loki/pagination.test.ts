import { afterEach, describe, expect, it } from 'vitest';
import { lokiConnection } from '../../src/sources/loki/config.js';
import { LokiSource, type LokiSourceOptions } from '../../src/sources/loki/loki-source.js';
import { newStats, type RawLine } from '../../src/types.js';
import { startFakeLoki, type FakeEntry, type FakeLoki } from '../support/fake-loki.js';
import { FAST_RETRY } from './fixtures.js';

const T0 = 1_795_641_000_000_000_000n;
const SECOND = 1_000_000_000n;
const HOUR = 3600n * SECOND;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * 4 streams × 3 300 lines = 13 200 entries. Every 7 consecutive lines share one timestamp, and
 * the 4 streams log the *same* line at the same nanosecond — the case where logcli's
 * (timestamp, line) dedupe drops lines across streams.
 */
function crowdedEntries(): FakeEntry[] {
  const entries: FakeEntry[] = [];
  for (const service of ['api', 'billing', 'cart', 'db']) {
    for (let i = 0; i < 3300; i++) {
      entries.push({ labels: { service_name: service, env: 'prod' }, timeNs: T0 + BigInt(Math.floor(i / 7)) * 1_000_000n, line: `{"trace_id":"${TRACE}","seq":${i}}` });
    }
  }
  return entries;
}

const key = (labels: Record<string, string> | undefined, ts: bigint | undefined, line: string) =>
  `${JSON.stringify(Object.entries(labels ?? {}).sort())} ${ts} ${line}`;

let loki: FakeLoki | undefined;
afterEach(async () => {
  await loki?.close();
  loki = undefined;
});

async function readAll(options: Partial<LokiSourceOptions> & { url?: string }): Promise<RawLine[]> {
  const source = new LokiSource(lokiConnection(options.url ?? loki!.url), {
    query: `{service_name=~".+"} |= "${TRACE}"`,
    fromNs: T0 - HOUR,
    toNs: T0 + HOUR,
    retry: FAST_RETRY,
    ...options,
  });
  const lines: RawLine[] = [];
  for await (const batch of source.read({ stats: newStats() })) lines.push(...batch);
  return lines;
}

describe('paging through query_range', () => {
  it.each([5000, 1000, 101])('returns every one of 13 200 entries exactly once with pages of %i', async (limit) => {
    const entries = crowdedEntries();
    loki = await startFakeLoki({ entries });
    const lines = await readAll({ limit, parallel: 1 });
    expect(lines).toHaveLength(entries.length);
    const got = lines.map((l) => key(l.labels, l.timeNs, l.text));
    expect(new Set(got).size).toBe(entries.length);
    expect(new Set(got)).toEqual(new Set(entries.map((e) => key(e.labels, e.timeNs, e.line))));
    // Merged across streams: never going back in time.
    expect(lines.every((l, i) => i === 0 || lines[i - 1]!.timeNs! <= l.timeNs!)).toBe(true);
    // It really paged: at least ceil(n / limit) requests.
    expect(loki.queries.length).toBeGreaterThanOrEqual(Math.ceil(entries.length / limit));
    expect(loki.queries.every((q) => Number(q.query.limit) === limit)).toBe(true);
  });

  it('pages backward too, newest first, nothing lost', async () => {
    const entries = crowdedEntries();
    loki = await startFakeLoki({ entries });
    const lines = await readAll({ limit: 500, parallel: 1, direction: 'backward' });
    expect(lines).toHaveLength(entries.length);
    expect(new Set(lines.map((l) => key(l.labels, l.timeNs, l.text))).size).toBe(entries.length);
    expect(lines.every((l, i) => i === 0 || lines[i - 1]!.timeNs! >= l.timeNs!)).toBe(true);
  });

  it('hands stream labels and the entry time to each line, the stream as origin and its entries numbered', async () => {
    const api = { service_name: 'api', level: 'error' };
    loki = await startFakeLoki({
      entries: [
        { labels: api, timeNs: T0, line: `{"msg":"x","trace_id":"${TRACE}"}` },
        { labels: { service_name: 'db' }, timeNs: T0, line: `{"msg":"y","trace_id":"${TRACE}"}` },
        { labels: api, timeNs: T0, line: `{"msg":"z","trace_id":"${TRACE}"}` },
      ],
    });
    const lines = await readAll({});
    expect(lines[0]).toEqual({ text: `{"msg":"x","trace_id":"${TRACE}"}`, origin: 'loki {level="error", service_name="api"}', lineNo: 1, labels: api, timeNs: T0 });
    // Lines of one millisecond keep their stream's order, as a file's lines do.
    expect(lines.map((l) => [l.origin, l.lineNo, JSON.parse(l.text).msg])).toEqual([
      ['loki {level="error", service_name="api"}', 1, 'x'],
      ['loki {level="error", service_name="api"}', 2, 'z'],
      ['loki {service_name="db"}', 1, 'y'],
    ]);
  });

  it('hands Loki 3 structured metadata on as labels when it asks for categorize-labels', async () => {
    loki = await startFakeLoki({ loki3: true, entries: [{ labels: { service_name: 'api' }, timeNs: T0, line: `msg=x ${TRACE}`, structuredMetadata: { trace_id: TRACE } }] });
    const [line] = await readAll({});
    expect(line!.labels).toEqual({ service_name: 'api', trace_id: TRACE });
    expect(loki.queries[0]!.headers['x-loki-response-encoding-flags']).toBe('categorize-labels');
  });

  it('counts lines and bytes, and skips lines without a needle after counting them', async () => {
    loki = await startFakeLoki({
      entries: [
        { labels: { service_name: 'a' }, timeNs: T0, line: `${TRACE} one` },
        { labels: { service_name: 'a' }, timeNs: T0 + 1n, line: `${TRACE} two` },
      ],
    });
    const source = new LokiSource(lokiConnection(loki.url), { query: `{service_name=~".+"} |= "${TRACE}"`, fromNs: T0, toNs: T0 + SECOND, retry: FAST_RETRY });
    const stats = newStats();
    const lines: RawLine[] = [];
    for await (const batch of source.read({ stats, needles: ['two'] })) lines.push(...batch);
    expect(lines.map((l) => l.text)).toEqual([`${TRACE} two`]);
    expect(stats.linesRead).toBe(2);
    expect(stats.bytesRead).toBe(Buffer.byteLength(`${TRACE} one`) + Buffer.byteLength(`${TRACE} two`) + 2);
  });

  it('warns instead of looping when more lines share one nanosecond than a page holds', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ labels: { service_name: `s${i}` }, timeNs: T0, line: TRACE }));
    entries.push({ labels: { service_name: 'later' }, timeNs: T0 + 5n, line: TRACE });
    loki = await startFakeLoki({ entries });
    const warnings: string[] = [];
    const lines = await readAll({ limit: 10, parallel: 1, onWarning: (w) => warnings.push(w) });
    expect(lines.map((l) => l.labels!.service_name)).toContain('later');
    expect(lines.length).toBe(11);
    expect(warnings).toEqual([`more than 10 lines share the timestamp ${T0} in Loki; some of them may be missing`]);
  });
});

describe('splitting the window', () => {
  it('gives the same lines in the same order with --parallel 8 as serially', async () => {
    const entries = crowdedEntries().map((e, i) => ({ ...e, timeNs: e.timeNs + BigInt(i % 97) * 20n * SECOND }));
    loki = await startFakeLoki({ entries });
    const serial = await readAll({ limit: 700, parallel: 1 });
    const parallel = await readAll({ limit: 700, parallel: 8 });
    expect(parallel.length).toBe(entries.length);
    expect(parallel).toEqual(serial);
    const backwardSerial = await readAll({ limit: 700, parallel: 1, direction: 'backward' });
    const backwardParallel = await readAll({ limit: 700, parallel: 8, direction: 'backward' });
    expect(backwardParallel).toEqual(backwardSerial);
    // 8 sub-ranges, all within the window, none overlapping.
    const ranges = new Set(loki.queries.slice(-20).map((q) => q.query.start));
    expect(ranges.size).toBeGreaterThan(1);
  });

  it('splits a 40-day window into ranges the server accepts instead of failing', async () => {
    const entries = [0n, 10n, 20n, 30n, 39n].map((day) => ({ labels: { service_name: 'api' }, timeNs: T0 - day * 24n * HOUR, line: `${TRACE} day ${day}` }));
    loki = await startFakeLoki({ entries });
    const lines = await readAll({ fromNs: T0 - 40n * 24n * HOUR, toNs: T0 + 1n, parallel: 1 });
    expect(lines.map((l) => l.text)).toEqual([39n, 30n, 20n, 10n, 0n].map((d) => `${TRACE} day ${d}`));
    for (const q of loki.queries) expect(BigInt(q.query.end!) - BigInt(q.query.start!)).toBeLessThanOrEqual(721n * HOUR);
  });

  it("learns a server's shorter max query length and entries limit from its 400s", async () => {
    const entries = [0n, 30n, 60n].map((h) => ({ labels: { service_name: 'api' }, timeNs: T0 - h * HOUR, line: `${TRACE} ${h}h` }));
    loki = await startFakeLoki({ entries, maxQueryLengthNs: 24n * HOUR, maxEntriesLimit: 1000 });
    const lines = await readAll({ fromNs: T0 - 70n * HOUR, toNs: T0 + 1n, parallel: 1 });
    expect(lines.map((l) => l.text)).toEqual([`${TRACE} 60h`, `${TRACE} 30h`, `${TRACE} 0h`]);
    expect(loki.queries.some((q) => q.query.limit === '1000')).toBe(true);
  });

  it('holds only a few pages ahead of a slow reader', async () => {
    const entries = Array.from({ length: 40_000 }, (_, i) => ({ labels: { service_name: 'api' }, timeNs: T0 - HOUR + BigInt(i) * 80_000_000n, line: `${TRACE} ${i}` }));
    loki = await startFakeLoki({ entries });
    const source = new LokiSource(lokiConnection(loki.url), { query: `{service_name=~".+"} |= "${TRACE}"`, fromNs: T0 - HOUR, toNs: T0 + HOUR, limit: 500, parallel: 4, retry: FAST_RETRY });
    const reader = source.read({ stats: newStats() })[Symbol.asyncIterator]();
    await reader.next();
    // Let every worker run as far as it is allowed to.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
    // 4 workers × (2 buffered + 1 in flight) pages, plus the one being read: far below the 80 pages in the window.
    expect(loki.queries.length).toBeLessThanOrEqual(4 * 3 + 1);
    await reader.return?.();
  });
});
