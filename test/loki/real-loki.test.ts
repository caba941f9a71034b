import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEEP_FAILURE, PANIC, TIMEOUT } from '../check/examples.js';
import { EXAMPLE_WINDOW, exampleEntries } from '../check/loki-entries.js';
import { announceSkip, pushEntries, realLokiMissing, startRealLoki, type PushEntry, type RealLoki } from '../support/real-loki.js';
import { normaliseLine } from '../../src/normalise/normalise.js';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';

// show / traces / check against a real Loki 2.8.0 (../shared/loki): one server for the whole file,
// each test on labels or a window of its own. The last test stops the server.
announceSkip('test/loki/real-loki.test.ts');

const NS_PER_MS = 1_000_000n;
const HOUR_NS = 3_600_000n * NS_PER_MS;
const DAY_MS = 86_400_000;
/**
 * This Loki does not return lines more than about 100 days old, and the examples are from
 * 2025-11-25: they are stored a whole number of days later, three days ago. The lines keep their
 * own times, which is what the trees are built from.
 */
const EXAMPLE_FROM_MS = Date.parse(EXAMPLE_WINDOW[1]!);
const SHIFT_MS = Math.floor((Date.now() - 3 * DAY_MS - EXAMPLE_FROM_MS) / DAY_MS) * DAY_MS;
const SHIFTED_WINDOW = ['--from', new Date(EXAMPLE_FROM_MS + SHIFT_MS).toISOString(), '--to', new Date(Date.parse(EXAMPLE_WINDOW[3]!) + SHIFT_MS).toISOString()];
/** Pagination: 2 000 timestamps, each shared by 3 streams: 6 000 lines of one trace, two days ago. */
const PAGED_TRACE = '11112222333344445555666677778888';
const PAGED_T0_MS = Math.floor((Date.now() - 2 * DAY_MS) / 3_600_000) * 3_600_000;
const PAGED_T0 = BigInt(PAGED_T0_MS) * NS_PER_MS;
const PAGED_WINDOW = ['--from', new Date(PAGED_T0_MS).toISOString(), '--to', new Date(PAGED_T0_MS + 3_600_000).toISOString()];
/**
 * The real-library corpus (corpus/): one stream per log file, labelled with its corpus so the
 * queries see nothing else, stored a whole number of days later (four days ago); the lines keep
 * their own times.
 */
const CORPORA = [
  { name: 'otel-node', dir: 'corpus/otel-node/a-default' },
  { name: 'go-zap', dir: 'corpus/go-zap/with-parents' },
].map((c) => {
  const files = readdirSync(join(REPO_ROOT, c.dir)).filter((f) => f.endsWith('.log'));
  const entries: PushEntry[] = [];
  for (const file of files) {
    let last = 0n;
    for (const line of readFileSync(join(REPO_ROOT, c.dir, file), 'utf8').split('\n')) {
      if (line === '') continue;
      last = normaliseLine({ text: line, origin: file, lineNo: 0 })?.[0]?.timeNs ?? last;
      entries.push({ labels: { service_name: file.replace(/\.log$/, ''), corpus: c.name }, timeNs: last, line });
    }
  }
  const times = entries.map((e) => e.timeNs).filter((t) => t > 0n);
  const first = times.reduce((a, b) => (a < b ? a : b));
  const lastNs = times.reduce((a, b) => (a > b ? a : b));
  const shift = BigInt(Math.floor((Date.now() - 4 * DAY_MS - Number(first / NS_PER_MS)) / DAY_MS) * DAY_MS) * NS_PER_MS;
  for (const e of entries) e.timeNs = (e.timeNs > 0n ? e.timeNs : first) + shift;
  const iso = (ns: bigint) => new Date(Number(ns / NS_PER_MS)).toISOString();
  const window = ['--from', iso(first + shift - 60_000n * NS_PER_MS), '--to', iso(lastNs + shift + 60_000n * NS_PER_MS)];
  const truth = JSON.parse(readFileSync(join(REPO_ROOT, c.dir, '..', 'truth.json'), 'utf8')) as { traces: Array<{ traceId: string; scenario: string }> };
  return { ...c, entries, window, selector: `{corpus="${c.name}"}`, notOk: truth.traces.filter((t) => t.scenario !== 'ok').map((t) => t.traceId) };
});
/** A trace spread over a month, ending now. */
const MONTH_TRACE = '99990000aaaabbbbccccddddeeeeffff';

let loki: RealLoki;
const started = Date.now();
beforeAll(async () => {
  if (realLokiMissing) return;
  loki = await startRealLoki();
  await loki.push(exampleEntries().map((e) => ({ ...e, timeNs: e.timeNs + BigInt(SHIFT_MS) * NS_PER_MS })));
  const paged: PushEntry[] = [];
  for (let i = 0; i < 2000; i++) {
    for (const pod of ['a', 'b', 'c']) {
      const timeNs = PAGED_T0 + BigInt(i) * 1000n * NS_PER_MS;
      const line = JSON.stringify({ level: 'info', msg: `step ${i}`, service: 'pager', trace_id: PAGED_TRACE, span_id: `00000000000000${pod}${pod}`, pod });
      paged.push({ labels: { service_name: 'pager', pod }, timeNs, line });
    }
  }
  await loki.push(paged);
  for (const c of CORPORA) await loki.push(c.entries);
  const now = BigInt(Date.now()) * NS_PER_MS;
  await loki.push(
    [700n, 300n, 0n].map((ageH, i) => ({
      labels: { service_name: i === 1 ? 'month-api' : 'month-db' },
      timeNs: now - ageH * HOUR_NS - 60_000n * NS_PER_MS,
      line: JSON.stringify({ level: 'info', msg: `${ageH}h ago`, service: i === 1 ? 'month-api' : 'month-db', trace_id: MONTH_TRACE, span_id: `${i + 1}`.padStart(16, '0'), duration_ms: 3 }),
    })),
  );
}, 120_000);
afterAll(async () => {
  await loki?.close();
  if (!realLokiMissing) process.stderr.write(`test/loki/real-loki.test.ts: real Loki file took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 60_000);

interface ShownTrace {
  traceId: string;
  durationMs: number;
  services: string[];
  spanCount: number;
  errorCount: number;
  stats: { linesMatched: number };
  spans: Array<Record<string, unknown>>;
}

describe.skipIf(realLokiMissing !== null)('against a real Loki 2.8.0', () => {
  it('show --loki gives the same trees as the files', async () => {
    for (const trace of [DEEP_FAILURE, TIMEOUT, PANIC]) {
      const fromFiles = await runCli(['show', trace, 'examples/*.log*', '--json']);
      const fromLoki = await runCli(['show', trace, '--loki', loki.url, ...SHIFTED_WINDOW, '--json']);
      expect(fromLoki.stderr).toBe('');
      expect(fromLoki.code).toBe(0);
      const a = JSON.parse(fromFiles.stdout) as ShownTrace;
      const b = JSON.parse(fromLoki.stdout) as ShownTrace;
      if (trace === PANIC) {
        // The one difference: net/http's panic line names no trace, so Loki's query for the id
        // does not return it; from files it is found by time and fails its span (issue 13 item 6).
        const panicked = (t: ShownTrace) => t.spans.find((s) => s.service === 'order-service')!;
        expect(panicked(a)).toMatchObject({ errorMessage: 'runtime error: invalid memory address or nil pointer dereference', logCount: 2 });
        expect(panicked(b)).toMatchObject({ errorMessage: expect.stringMatching(/^stopped logging after/), logCount: 1 });
        const same = (t: ShownTrace) => t.spans.map((s) => (s.service === 'order-service' ? { ...s, errorMessage: null, logCount: null } : s));
        expect(same(b)).toEqual(same(a));
      } else {
        expect(b.spans).toEqual(a.spans);
      }
      expect([b.durationMs, b.spanCount, b.errorCount, b.services]).toEqual([a.durationMs, a.spanCount, a.errorCount, a.services]);
    }
    const text = await runCli(['show', DEEP_FAILURE, '--loki', loki.url, ...SHIFTED_WINDOW, '--no-color']);
    expect(text.stdout).toContain('◀ error origin');
    expect(text.stdout).toContain('fraud.features.FeatureStoreUnavailable');
  });

  it.each(CORPORA)('the $name corpus (real libraries): traces --loki lists what the files give, show --loki the same trees', async (c) => {
    const files = `${c.dir}/*.log`;
    const fromFiles = await runCli(['traces', files, '--json', '--limit', '100']);
    const fromLoki = await runCli(['traces', '--loki', loki.url, ...c.window, '--selector', c.selector, '--json', '--limit', '100']);
    expect(fromLoki.stderr).toBe('');
    expect(fromLoki.code).toBe(0);
    const rows = JSON.parse(fromLoki.stdout) as Array<{ traceId: string }>;
    expect(rows.length).toBeGreaterThan(20);
    expect(rows).toEqual(JSON.parse(fromFiles.stdout));
    expect(c.notOk.length).toBeGreaterThan(2);
    for (const trace of c.notOk) {
      const a = await runCli(['show', trace, files, '--json']);
      const b = await runCli(['show', trace, '--loki', loki.url, ...c.window, '--selector', c.selector, '--json']);
      expect([b.code, b.stderr]).toEqual([0, '']);
      // Everything but the lines read: the files' every line, Loki's only the matching ones.
      const [x, y] = [JSON.parse(a.stdout), JSON.parse(b.stdout)] as Array<{ stats: { linesRead?: number } }>;
      delete x!.stats.linesRead;
      delete y!.stats.linesRead;
      expect(y).toEqual(x);
    }
  }, 90_000);

  it('traces --loki lists the 30 example traces and the 3 failing ones', async () => {
    const all = await runCli(['traces', '--loki', loki.url, ...SHIFTED_WINDOW, '--json', '--limit', '100', '--selector', '{service_name=~"api-gateway|order-service|payment-service|fraud-check|inventory-service"}']);
    expect(all.code).toBe(0);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(30);
    const failing = await runCli(['traces', '--loki', loki.url, ...SHIFTED_WINDOW, '--json', '--errors', '--sort', 'errors']);
    expect(failing.code).toBe(0);
    expect((JSON.parse(failing.stdout) as Array<{ traceId: string }>).map((t) => t.traceId)).toEqual([DEEP_FAILURE, TIMEOUT, PANIC]);
  });

  it('pages through 6 000 matching lines of 3 streams sharing every timestamp: each line once', async () => {
    const r = await runCli(['show', PAGED_TRACE, '--loki', loki.url, ...PAGED_WINDOW, '--json', '--verbose']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ShownTrace;
    expect(doc.stats.linesMatched).toBe(6000);
    expect(doc.spans.reduce((n, s) => n + (s.logCount as number), 0)).toBe(6000);
    expect(doc.spanCount).toBe(3);
    // More than one page of 5 000 was asked for.
    expect((r.stderr.match(/loki: GET /g) ?? []).length).toBeGreaterThan(1);
  });

  it('a month (--since 720h) returns the trace, without a 429 reaching the user', async () => {
    const r = await runCli(['show', MONTH_TRACE, '--loki', loki.url, '--since', '720h', '--json'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ShownTrace;
    expect(doc.spanCount).toBe(3);
    expect(doc.services.sort()).toEqual(['month-api', 'month-db']);
  }, 150_000);

  it('check --loki --wait sees a trace whose lines are pushed while it waits', async () => {
    const trace = 'cafe0000cafe0000cafe0000cafe0001';
    const child = spawn(process.execPath, [BIN, 'check', trace, '--loki', loki.url, '--since', '10m', '--wait', '40s', '--poll-interval', '500ms', '--min-spans', '2', '--no-color'], {
      env: { ...process.env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    await new Promise((r) => setTimeout(r, 1500));
    const now = BigInt(Date.now()) * NS_PER_MS;
    await pushEntries(loki.url, [
      { labels: { service_name: 'wait-api' }, timeNs: now, line: JSON.stringify({ level: 'info', msg: 'in', service: 'wait-api', trace_id: trace, span_id: 'a000000000000001', duration_ms: 9 }) },
      { labels: { service_name: 'wait-db' }, timeNs: now + 2n * NS_PER_MS, line: JSON.stringify({ level: 'info', msg: 'query', service: 'wait-db', trace_id: trace, span_id: 'a000000000000002', parent_span_id: 'a000000000000001', duration_ms: 4 }) },
    ]);
    expect(await exit).toBe(0);
    expect(out).toContain(trace);
  }, 60_000);

  it("a bad --selector is Loki's 400, one line, exit 4", async () => {
    const r = await runCli(['show', DEEP_FAILURE, '--loki', loki.url, ...SHIFTED_WINDOW, '--selector', '{service_name=~".*"}']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mcp-trace: Loki rejected the query \(400\): parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value\. .*\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('once the server is stopped: connection refused, exit 4, naming the address', async () => {
    await loki.stop();
    const r = await runCli(['show', DEEP_FAILURE, '--loki', loki.url, ...SHIFTED_WINDOW], { timeoutMs: 60_000 });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`^mcp-trace: cannot reach Loki at ${loki.url.replace(/\./g, '\\.')} \\(\\d+ attempts\\): connection refused; is Loki running there\\? check --loki or LOKI_ADDR\\n$`));
  }, 60_000);
});
