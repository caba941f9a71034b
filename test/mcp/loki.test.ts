import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEEP_FAILURE } from '../check/examples.js';
import { EXAMPLE_WINDOW, exampleEntries } from '../check/loki-entries.js';
import { announceSkip, freePort, realLokiMissing, startRealLoki, type RealLoki } from '../support/real-loki.js';
import { McpSession, structured, text, until } from './helpers.js';

// mcp-trace mcp with Loki as its start-up source: a Loki that is down (always run), and a real
// Loki 2.8.0 (../shared/loki) holding the example logs, skipped with one line when absent.
announceSkip('test/mcp/loki.test.ts');

const NS_PER_MS = 1_000_000n;
const DAY_MS = 86_400_000;
/** The examples are from 2025-11-25; this Loki keeps about 100 days, so they go in three days ago (whole days later). */
const FROM_MS = Date.parse(EXAMPLE_WINDOW[1]!);
const SHIFT_MS = Math.floor((Date.now() - 3 * DAY_MS - FROM_MS) / DAY_MS) * DAY_MS;
const WINDOW = { from: new Date(FROM_MS + SHIFT_MS).toISOString(), to: new Date(Date.parse(EXAMPLE_WINDOW[3]!) + SHIFT_MS).toISOString() };

describe('a Loki that is down', () => {
  let mcp: McpSession;
  beforeAll(async () => {
    const port = await freePort();
    mcp = await McpSession.start(['--loki', `http://127.0.0.1:${port}`, '--timeout', '1s']);
  }, 20_000);
  afterAll(async () => mcp?.close());

  it('is a tool error that names Loki and what to check; the server lives on', async () => {
    const r = await mcp.call('get_trace', { traceId: DEEP_FAILURE });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^cannot read the logs: cannot reach Loki at http:\/\/127\.0\.0\.1:\d+ .*connection refused; is Loki running there\?/);
    const list = await mcp.call('search_traces', { since: '10m' });
    expect(list.isError).toBe(true);
    expect(text(list)).toMatch(/cannot reach Loki/);
    // Files named by a call are still read.
    expect((await mcp.call('get_trace', { traceId: DEEP_FAILURE, files: ['examples/*.log*'] })).isError).toBeFalsy();
    expect(mcp.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe.skipIf(realLokiMissing !== null)('against a real Loki 2.8.0', () => {
  let loki: RealLoki;
  let mcp: McpSession;
  let files: McpSession;
  beforeAll(async () => {
    loki = await startRealLoki();
    await loki.push(exampleEntries().map((e) => ({ ...e, timeNs: e.timeNs + BigInt(SHIFT_MS) * NS_PER_MS })));
    // The start-up window is the default of every call; LOKI_ADDR alone picks Loki, as in show.
    mcp = await McpSession.start(['--from', WINDOW.from, '--to', WINDOW.to], { env: { LOKI_ADDR: loki.url } });
    files = await McpSession.start(['examples/*.log*']);
  }, 120_000);
  afterAll(async () => {
    await mcp?.close();
    await files?.close();
    await loki?.close();
  }, 60_000);

  it('get_trace, get_trace_errors and search_traces answer as they do on the files', async () => {
    const fromLoki = structured(await mcp.call('get_trace', { traceId: DEEP_FAILURE }));
    const fromFiles = structured(await files.call('get_trace', { traceId: DEEP_FAILURE }));
    const shape = (o: any) => o.spans.map((s: any) => [s.id, s.parent, s.path, s.durationMs, s.error ?? null, s.critical]);
    expect(shape(fromLoki)).toEqual(shape(fromFiles));
    expect(fromLoki.errorOrigin).toEqual(fromFiles.errorOrigin);
    const errors = structured(await mcp.call('get_trace_errors', { traceId: DEEP_FAILURE }));
    expect(errors.origin.firstErrorLine).toMatch(/FeatureStoreUnavailable/);
    const listed = structured(await mcp.call('search_traces', { errors: true, limit: 200 }));
    const listedFiles = structured(await files.call('search_traces', { errors: true, limit: 200 }));
    expect(listed.rows.map((r: any) => r.id).sort()).toEqual(listedFiles.rows.map((r: any) => r.id).sort());
    expect(structured(await mcp.call('get_service_map', {})).edges.length).toBeGreaterThan(0);
  });

  it("a call's own window replaces the start-up one; outside it the trace is not found, with the window named", async () => {
    const r = await mcp.call('get_trace', { traceId: DEEP_FAILURE, since: '5m' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^trace 4bf92f3577b34da6a3ce929d0e0e4736 not found in Loki at .* \(the last 5m\); widen the window with since: "24h" or from\/to/);
  });

  it('tail_errors has an error line pushed to Loki after start-up, with its trace id', async () => {
    const line = exampleEntries().find((e) => e.line.includes('FeatureStoreUnavailable'))!;
    // The tail session is open once Loki has answered the first tail_errors call's follow.
    expect(structured(await mcp.call('tail_errors', {})).following).toMatch(/Loki tail/);
    await new Promise((r) => setTimeout(r, 1500));
    await loki.push([{ ...line, timeNs: BigInt(Date.now()) * NS_PER_MS }]);
    const out = await until(async () => {
      const got = structured(await mcp.call('tail_errors', { seconds: 120 }));
      return got.errors.length > 0 ? got : null;
    }, () => `the pushed error in tail_errors (server stderr: ${mcp.stderr})`, 30_000);
    expect(out.errors[0]).toMatchObject({ service: 'fraud-check', traceId: DEEP_FAILURE });
    expect(out.traces[0].traceId).toBe(DEEP_FAILURE);
  }, 60_000);
});
