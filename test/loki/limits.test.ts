import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { lokiConnection } from '../../src/sources/loki/config.js';
import { MAX_RESPONSE_BYTES } from '../../src/sources/loki/errors.js';
import { LokiSource } from '../../src/sources/loki/loki-source.js';
import { newStats } from '../../src/types.js';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki.js';
import { BIN, runCli } from '../support/run-cli.js';
import { FAST_RETRY } from './fixtures.js';

// Loki's queue limit (429 "too many outstanding requests") and the cap on one response, against
// in-process servers: a real Loki cannot be made to send 400 MB or to overflow on demand.

const NS_PER_MS = 1_000_000n;
const HOUR = 3_600_000n * NS_PER_MS;
const T0 = 1_795_641_000_000n * NS_PER_MS;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

let fake: FakeLoki | undefined;
let server: Server | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  server?.closeAllConnections();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

describe('429 "too many outstanding requests"', () => {
  it('slows down (fewer at once, shorter ranges) and returns every line of a 720h window', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({
      labels: { service_name: 'api' },
      timeNs: T0 - 720n * HOUR + BigInt(i) * 24n * HOUR,
      line: JSON.stringify({ trace_id: TRACE, n: i }),
    }));
    fake = await startFakeLoki({ entries });
    // Far more 429s in a row than the client's retry limit (3 here).
    fake.failNext(...Array.from({ length: 12 }, () => ({ status: 429 })));
    const logs: string[] = [];
    const source = new LokiSource(lokiConnection(fake.url), { query: `{service_name="api"} |= "${TRACE}"`, fromNs: T0 - 720n * HOUR, toNs: T0, parallel: 4, retry: FAST_RETRY, log: (l) => logs.push(l) });
    const lines: string[] = [];
    for await (const batch of source.read({ stats: newStats() })) lines.push(...batch.map((l) => l.text));
    expect(lines).toEqual(entries.map((e) => e.line));
    expect(source.throttled).toBe(12);
    const spans = fake.queries.map((q) => BigInt(q.query.end!) - BigInt(q.query.start!));
    // Never more than 64 of Loki's 30-minute pieces at once: 16 per request with 4 at once.
    expect(spans.every((s) => s <= 8n * HOUR)).toBe(true);
    // After the 429s, shorter requests.
    expect(spans.slice(12).some((s) => s < 8n * HOUR)).toBe(true);
    expect(logs.some((l) => /^429 \(too many outstanding requests\): 1 at once, 30m per request/.test(l))).toBe(true);
  });

  it('honours Retry-After on another 429 and gives up after the retry limit with the attempts', async () => {
    fake = await startFakeLoki({ entries: [] });
    fake.failNext(...Array.from({ length: 4 }, () => ({ status: 429, body: 'ingestion rate limit', retryAfter: '0' })));
    const source = new LokiSource(lokiConnection(fake.url), { query: '{service_name="api"}', fromNs: T0 - HOUR, toNs: T0, parallel: 1, retry: FAST_RETRY });
    const run = async () => {
      for await (const _ of source.read({ stats: newStats() })) void _;
    };
    await expect(run()).rejects.toThrow(`Loki at ${fake.url} kept rate-limiting the query (429) after 4 attempts: ingestion rate limit; try again later or lower --parallel`);
  });
});

/** The child's resident set, polled from /proc while it runs; the peak seen. */
function runMeasured(args: string[]): Promise<{ code: number | null; stderr: string; peakRssMiB: number; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.resume();
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
    } catch {
      // gone
    }
  }, 10);
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      done({ code, stderr, peakRssMiB: Math.round(peakKiB / 1024), ms: Date.now() - started });
    }),
  );
}

/** A server whose query_range answer is a valid start of Loki JSON that goes on for `totalMiB`. */
async function hugeServer(totalMiB: number, declareLength: boolean): Promise<string> {
  const head = '{"status":"success","data":{"resultType":"streams","result":[{"stream":{"service_name":"api"},"values":[';
  const entry = `["1795641000000000000","${'x'.repeat(1000)} ${TRACE}"],`;
  const chunk = entry.repeat(64); // ~64 KiB
  server = createServer((req, res) => {
    const total = totalMiB * 1024 * 1024;
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(total) } : {}) });
    res.write(head);
    let sent = head.length;
    const more = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('close', () => (sent = total));
    more();
    void req;
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe(`one response is capped at ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`, () => {
  const message = (url: string) => `mcp-trace: Loki at ${url} sent more than 64 MiB in one response (the limit); narrow the window (--since, --from/--to) or lower --page-size\n`;

  it('a 400 MB body streamed without a length: refused as it arrives, exit 4, memory bounded', async () => {
    const url = await hugeServer(400, false);
    const r = await runMeasured(['show', TRACE, '--loki', url, '--since', '1h', '--parallel', '1']);
    expect(r.stderr).toBe(message(url));
    expect(r.code).toBe(4);
    // Node itself is ~50 MiB; buffering the whole body would be 400+ MiB before parsing even starts.
    expect(r.peakRssMiB).toBeLessThan(300);
    process.stderr.write(`response cap: 400 MB body refused in ${r.ms} ms, peak RSS ${r.peakRssMiB} MiB\n`);
  }, 60_000);

  it('a body whose Content-Length says 1 GB is refused before it is read', async () => {
    const url = await hugeServer(1024, true);
    const r = await runMeasured(['show', TRACE, '--loki', url, '--since', '1h', '--parallel', '1']);
    expect(r.stderr).toBe(message(url));
    expect(r.code).toBe(4);
    expect(r.peakRssMiB).toBeLessThan(200);
  }, 60_000);

  it('counts a compressed body as it inflates: a 2 MB gzip of 200 MB is refused, a small one read', async () => {
    const head = '{"status":"success","data":{"resultType":"streams","result":[{"stream":{"service_name":"api"},"values":[';
    const entry = `["1795641000000000000","${'x'.repeat(1000)} ${TRACE}"]`;
    const bomb = gzipSync(`${head}${Array.from({ length: 200_000 }, () => entry).join(',')}]}]}}`);
    const line = JSON.stringify({ trace_id: TRACE, msg: 'inflated fine' });
    const small = gzipSync(`${head}${JSON.stringify(['1795641000000000000', line])}]}]}}`);
    server = createServer((req, res) => {
      const gz = new URL(req.url ?? '/', 'http://x').searchParams.get('query')!.includes('small') ? small : bomb;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gz.length) }).end(gz);
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await runMeasured(['show', TRACE, '--loki', url, '--since', '1h', '--parallel', '1']);
    expect(r.stderr).toBe(message(url));
    expect(r.code).toBe(4);
    expect(r.peakRssMiB).toBeLessThan(300);
    const ok = await runCli(['show', TRACE, '--loki', url, '--from', '2026-11-25T21:00:00Z', '--to', '2026-11-25T22:00:00Z', '--parallel', '1', '--selector', '{service_name="small"}', '--format', 'logs', '--no-color']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('inflated fine');
  }, 60_000);
});
