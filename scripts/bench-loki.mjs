#!/usr/bin/env node
// Loki bench: fetching one trace from a window of 200 000 lines, our LokiSource (dist/, so run
// `npm run build` first; `npm run bench` does) against a serial logcli-style pager, both talking to
// the same in-process fake Loki (test/support/fake-loki.ts, transpiled into .bench/ on the fly so
// test code never ships in dist/); then the same three kinds of fetch with spawned CLIs against a
// real Loki and the real logcli (scripts/bench-loki-real.mjs).
//
// The fake Loki models the server's cost: 20 ms per request plus 1 ms per 2 000 entries examined.
// Concurrent requests overlap, as they do across a Loki cluster's queriers; that is what splitting
// the window buys. Two cases:
//   sparse  40 lines of the trace hidden among 200 000 (the usual `show <id>`)
//   busy    30 000 lines of one trace, services logging the same line at the same millisecond
//           (the case where logcli's (timestamp, line) dedupe drops lines, grafana/loki#17270)
//
// Usage: node scripts/bench-loki.mjs   (MCP_TRACE_BENCH_RUNS=3 by default)
// Exits 1 if our fetch misses or doubles a line; speed is reported, not enforced.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Math.max(1, Number(process.env.MCP_TRACE_BENCH_RUNS ?? 3));
const LINES = 200_000;
const STREAMS = 20;
const T0 = 1_795_640_400_000_000_000n; // 2026-11-25T21:00:00Z
const MS = 1_000_000n;
const WINDOW = { fromNs: T0, toNs: T0 + 3_600_000n * MS };
const SPARSE = 'feedfacecafebeef0123456789abcdef';
const BUSY = 'b0b0b0b0c0c0c0c0d0d0d0d0e0e0e0e0';

async function loadFakeLoki() {
  const dir = new URL('../.bench/loki/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  // fake-loki.ts imports ./label-hash.js: both land side by side as ES modules.
  for (const name of ['fake-loki', 'label-hash']) {
    const source = readFileSync(new URL(`../test/support/${name}.ts`, import.meta.url), 'utf8');
    const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(new URL(`${name}.js`, dir), out.outputText);
  }
  return import(new URL('fake-loki.js', dir).href);
}

async function loadDist() {
  const dist = (p) => import(pathToFileURL(`${ROOT}dist/${p}`).href);
  try {
    const [{ LokiSource }, { lokiConnection }, { traceQuery }, { newStats }] = await Promise.all([
      dist('sources/loki/loki-source.js'),
      dist('sources/loki/config.js'),
      dist('sources/loki/logql.js'),
      dist('types.js'),
    ]);
    return { LokiSource, lokiConnection, traceQuery, newStats };
  } catch (err) {
    console.error(`bench-loki: cannot load dist/ (${err.message}); run npm run build first`);
    process.exit(2);
  }
}

/** 200 000 lines, 20 streams, one line per stream per 18 ms tick (so 20 share each timestamp). */
function makeEntries() {
  const services = Array.from({ length: STREAMS / 2 }, (_, i) => `svc-${i}`);
  // One labels object per stream, as a real server's streams are; the fake relies on it to match fast.
  const streamLabels = Array.from({ length: STREAMS }, (_, s) => ({ service_name: services[s >> 1], level: s & 1 ? 'error' : 'info' }));
  const entries = [];
  let sparseLeft = 40;
  for (let i = 0; i < LINES; i++) {
    const tick = Math.floor(i / STREAMS);
    const stream = i % STREAMS;
    const labels = streamLabels[stream];
    const timeNs = T0 + BigInt(tick * 18) * MS;
    let line;
    if (stream === 0 || stream === 7 || stream === 14) {
      // Three streams per tick log this very line: same text, same millisecond.
      line = `{"level":"info","trace_id":"${BUSY}","msg":"cache miss","tick":${tick}}`;
    } else if (sparseLeft > 0 && i % 4999 === 7) {
      sparseLeft--;
      line = `{"level":"error","trace_id":"${SPARSE}","msg":"step ${i}","duration_ms":${i % 300}}`;
    } else {
      line = `{"level":"info","trace_id":"${(i * 2654435761).toString(16).padStart(32, '0').slice(-32)}","msg":"request handled","seq":${i}}`;
    }
    entries.push({ labels, timeNs, line });
  }
  return entries;
}

/** logcli's pager: serial, backward, batches of 5000, next end = oldest ts + 1 ns, dedupe on (ts, line). */
async function logcliStyle(url, query) {
  let end = WINDOW.toNs;
  let last = new Set();
  let requests = 0;
  const lines = [];
  for (;;) {
    const params = new URLSearchParams({ query, start: String(WINDOW.fromNs), end: String(end), limit: '5000', direction: 'backward' });
    const res = await fetch(`${url}/loki/api/v1/query_range?${params}`);
    requests++;
    const body = await res.json();
    const entries = body.data.result.flatMap((s) => s.values.map(([t, l]) => ({ ts: BigInt(t), line: l, labels: s.stream })));
    entries.sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
    const fresh = entries.filter((e) => !last.has(`${e.ts} ${e.line}`));
    if (fresh.length === 0) break;
    lines.push(...fresh);
    const oldest = entries[entries.length - 1].ts;
    last = new Set(entries.filter((e) => e.ts === oldest).map((e) => `${e.ts} ${e.line}`));
    end = oldest + 1n;
  }
  return { lines: lines.length, requests };
}

async function ours(lib, url, query, check = false) {
  const source = new lib.LokiSource(lib.lokiConnection(url), { query, ...WINDOW });
  const stats = lib.newStats();
  const keys = new Set();
  let lines = 0;
  for await (const batch of source.read({ stats })) {
    lines += batch.length;
    // The exactly-once check runs outside the timed runs: it is the bench's cost, not ours.
    if (check) for (const l of batch) keys.add(`${JSON.stringify(l.labels)} ${l.timeNs} ${l.text}`);
  }
  return { lines, distinct: keys.size, requests: source.requests };
}

async function timed(fn) {
  const times = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    result = await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

export async function benchLoki() {
  const [{ startFakeLoki }, lib] = await Promise.all([loadFakeLoki(), loadDist()]);
  const entries = makeEntries();
  const expected = {
    [SPARSE]: entries.filter((e) => e.line.includes(SPARSE)).length,
    [BUSY]: entries.filter((e) => e.line.includes(BUSY)).length,
  };
  const loki = await startFakeLoki({ entries, latencyMs: 0, scanCostMs: (examined) => 20 + examined / 2000 });
  let ok = true;
  try {
    console.log(`  window: ${LINES.toLocaleString('en-US')} lines in 1h, ${STREAMS} streams; server model: 20 ms/request + 1 ms per 2 000 entries examined; median of ${RUNS}`);
    for (const [name, id] of [['sparse', SPARSE], ['busy', BUSY]]) {
      const query = lib.traceQuery(id);
      const a = await timed(() => ours(lib, loki.url, query));
      const b = await timed(() => logcliStyle(loki.url, query));
      const want = expected[id];
      const checked = await ours(lib, loki.url, query, true);
      const good = checked.lines === want && checked.distinct === want;
      ok &&= good;
      console.log(
        `  ${name.padEnd(6)} ${want.toLocaleString('en-US')} lines: ours ${a.ms.toFixed(0)} ms, ${a.result.requests} requests, ${a.result.lines.toLocaleString('en-US')} lines${good ? '' : ' (WRONG)'}` +
          ` · logcli-style ${b.ms.toFixed(0)} ms, ${b.result.requests} requests, ${b.result.lines.toLocaleString('en-US')} lines` +
          ` · ratio ${(b.ms / a.ms).toFixed(2)} (logcli-style time / ours)`,
      );
    }
  } finally {
    await loki.close();
  }
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { benchLokiReal } = await import('./bench-loki-real.mjs');
  console.log('  in-process fake Loki, LokiSource in-process vs a logcli-style pager:');
  let ok = await benchLoki();
  console.log('  spawned CLIs on a real server:');
  ok = (await benchLokiReal()) && ok;
  process.exitCode = ok ? 0 : 1;
}
