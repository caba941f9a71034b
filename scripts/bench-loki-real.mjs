#!/usr/bin/env node
// Loki bench against the real thing: `mcp-trace show <id> --loki` against Loki's own logcli
// (../shared/loki, or $MCP_TRACE_LOKI_BIN), both spawned as a user would, on one real Loki 2.8.0
// started here (fresh data folder, free ports) and fed with:
//   sparse  40 lines of a trace hidden among 200 000 in a 1 h window (20 streams)
//   busy    30 000 lines of one trace in that window, three streams logging the same text at the
//           same millisecond (logcli dedupes on (timestamp, line) and loses some of them)
//   24h     48 lines of a trace, one every 30 minutes, among 100 000 lines spread over 24 h
// logcli runs as documented for fetching everything: `query --limit <many> --batch 5000 -o raw`.
// Runs alternate between the two, so a busy machine slows both alike. Reports median and fastest
// wall time, the ratio of medians (targets: ≤ 1.0 sparse, ≤ 0.5 busy and 24h) and lines returned;
// exits 1 when we miss or double a line. Skips (exit 0) without the binaries.
// NODE_EXTRA_CA_CERTS is left out of the runs' environment (said when it was set): Node parses
// that bundle at every start (~40 ms of CPU for a system bundle), the server is plain HTTP, and
// logcli never reads it.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { median, runMeasured } from './lib/bench-run.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/mcp-trace.js');
const LOKI_DIR = resolve(process.env.MCP_TRACE_LOKI_BIN ?? join(ROOT, '..', 'shared', 'loki'));
const RUNS = Math.max(1, Number(process.env.MCP_TRACE_BENCH_RUNS ?? 3));
const MS = 1_000_000n;
const HOUR_MS = 3_600_000;
const SPARSE = 'feedfacecafebeef0123456789abcdef';
const BUSY = 'b0b0b0b0c0c0c0c0d0d0d0d0e0e0e0e0';
const DAY = 'da1da1da1da1da1da1da1da1da1da1da';
const TARGETS = { sparse: 1.0, busy: 0.5, '24h': 0.5 };

async function unpacked(gz) {
  const st = statSync(gz);
  const dir = join(tmpdir(), 'mcp-trace-real-loki');
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `${gz.split('/').pop().replace(/\.gz$/, '')}-${st.size}-${Math.floor(st.mtimeMs)}`);
  if (existsSync(target)) return target;
  const partial = `${target}.${process.pid}.part`;
  await pipeline(createReadStream(gz), createGunzip(), createWriteStream(partial, { mode: 0o755 }));
  renameSync(partial, target);
  return target;
}

const freePort = () =>
  new Promise((done, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

async function startLoki() {
  const binary = await unpacked(join(LOKI_DIR, 'loki-2.8.0-linux-amd64.gz'));
  const dataDir = mkdtempSync(join(tmpdir(), 'mcp-trace-bench-loki-'));
  const [http, grpc] = [await freePort(), await freePort()];
  const proc = spawn(binary, [`-config.file=${join(LOKI_DIR, 'loki-test.yaml')}`, '-config.expand-env=true'], {
    env: { ...process.env, LOKI_DATA: dataDir, LOKI_HTTP_PORT: String(http), LOKI_GRPC_PORT: String(grpc) },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${http}`;
  const exited = new Promise((done) => proc.on('exit', done));
  const close = async () => {
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + 60_000; ; ) {
    try {
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok && (await res.text()).trim() === 'ready') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      await close();
      throw new Error('Loki did not become ready within 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, close };
}

/** Pushes in bodies of 5 000 entries; Loki's ingestion rate limit (429) and a ring still settling are waited out. */
export async function push(url, entries) {
  for (let i = 0; i < entries.length; i += 5000) {
    const streams = new Map();
    for (const e of entries.slice(i, i + 5000)) {
      let s = streams.get(e.key);
      if (!s) streams.set(e.key, (s = { stream: e.labels, values: [] }));
      s.values.push([e.timeNs.toString(), e.line]);
    }
    const body = JSON.stringify({ streams: [...streams.values()] });
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status === 204) break;
      const text = await res.text();
      if (attempt > 100) throw new Error(`push answered ${res.status}: ${text}`);
      await new Promise((r) => setTimeout(r, res.status === 429 ? 1000 : 250));
    }
  }
}

const streamsOf = (count, prefix) =>
  Array.from({ length: count }, (_, s) => {
    const labels = { service_name: `${prefix}-${s >> 1}`, level: s & 1 ? 'error' : 'info' };
    return { labels, key: JSON.stringify(labels) };
  });

/** The 1 h window: 200 000 lines, one per stream per 360 ms tick (20 streams share each timestamp). */
export function hourWindow(t0Ms) {
  const streams = streamsOf(20, 'svc');
  const entries = [];
  let sparseLeft = 40;
  for (let i = 0; i < 200_000; i++) {
    const tick = Math.floor(i / 20);
    const stream = i % 20;
    let line;
    if (stream === 0 || stream === 7 || stream === 14) {
      // Three streams log this very line at the same millisecond, 10 000 ticks: 30 000 lines.
      line = `{"level":"info","trace_id":"${BUSY}","msg":"cache miss","tick":${tick}}`;
    } else if (sparseLeft > 0 && i % 4999 === 1) {
      sparseLeft--;
      line = `{"level":"error","trace_id":"${SPARSE}","msg":"step ${i}","duration_ms":${i % 300}}`;
    } else {
      line = `{"level":"info","trace_id":"${(i * 2654435761).toString(16).padStart(32, '0').slice(-32)}","msg":"request handled","seq":${i}}`;
    }
    entries.push({ ...streams[stream], timeNs: BigInt(t0Ms + tick * 360) * MS, line });
  }
  return entries;
}

/** The 24 h window: 100 000 lines over 10 streams, and one trace's line every 30 minutes. */
export function dayWindow(t0Ms) {
  const streams = streamsOf(10, 'day');
  const entries = [];
  const step = (24 * HOUR_MS) / 100_000;
  let traceLeft = 48;
  for (let i = 0; i < 100_000; i++) {
    const timeMs = t0Ms + Math.floor(i * step);
    const traced = i % 2083 === 5 && traceLeft-- > 0;
    const line = traced
      ? `{"level":"info","trace_id":"${DAY}","msg":"batch ${i}","span_id":"${(i % 7).toString().padStart(16, '0')}"}`
      : `{"level":"info","trace_id":"${(i * 40503).toString(16).padStart(32, '0').slice(-32)}","msg":"tick","seq":${i}}`;
    entries.push({ ...streams[i % 10], timeNs: BigInt(timeMs) * MS, line });
  }
  return entries;
}

/**
 * Runs the commands in turn, RUNS rounds (so a busy machine slows both alike), and returns each
 * one's median and fastest wall time and the lines it returned.
 */
async function timedInTurn(commands) {
  const times = commands.map(() => []);
  const lines = commands.map(() => null);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, { cmd, args, count }] of commands.entries()) {
      const r = await runMeasured(cmd, args, { keepStdout: true, env: { NO_COLOR: '1', CI: '1', NODE_EXTRA_CA_CERTS: undefined } });
      if (r.code !== 0) throw new Error(`${cmd.split('/').pop()} exited ${r.code}: ${r.stderr.trim().split('\n').pop()}`);
      times[k].push(r.seconds * 1000);
      lines[k] = count(r.stdout);
    }
  }
  return times.map((t, k) => ({ ms: median(t), minMs: Math.min(...t), lines: lines[k] }));
}

export async function benchLokiReal() {
  if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(join(LOKI_DIR, 'logcli-2.8.0-linux-amd64.gz'))) {
    console.log(`  real Loki: skipped (no Loki 2.8.0 and logcli for linux/amd64 at ${LOKI_DIR})`);
    return true;
  }
  const logcli = await unpacked(join(LOKI_DIR, 'logcli-2.8.0-linux-amd64.gz'));
  // Two days ago, on whole hours: history, not the ingesters' newest data.
  const hourT0 = Math.floor((Date.now() - 2 * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const dayT0 = hourT0 - 25 * HOUR_MS;
  const hour = hourWindow(hourT0);
  const day = dayWindow(dayT0);
  const loki = await startLoki();
  let ok = true;
  try {
    const pushed = Date.now();
    await push(loki.url, hour);
    await push(loki.url, day);
    console.log(`  real Loki 2.8.0 and logcli 2.8.0: pushed ${(hour.length + day.length).toLocaleString('en-US')} lines in ${((Date.now() - pushed) / 1000).toFixed(1)} s; median of ${RUNS}`);
    if (process.env.NODE_EXTRA_CA_CERTS) console.log('  (NODE_EXTRA_CA_CERTS is set here; left out of the timed runs, see the top of scripts/bench-loki-real.mjs)');
    const cases = [
      ['sparse', SPARSE, hour, hourT0, hourT0 + HOUR_MS],
      ['busy', BUSY, hour, hourT0, hourT0 + HOUR_MS],
      ['24h', DAY, day, dayT0, dayT0 + 24 * HOUR_MS],
    ];
    for (const [name, id, data, fromMs, toMs] of cases) {
      const want = data.filter((e) => e.line.includes(id)).length;
      const from = new Date(fromMs).toISOString();
      const to = new Date(toMs).toISOString();
      const [ours, theirs] = await timedInTurn([
        { cmd: process.execPath, args: [BIN, 'show', id, '--loki', loki.url, '--from', from, '--to', to, '--json'], count: (out) => JSON.parse(out).stats.linesMatched },
        {
          cmd: logcli,
          args: ['query', '--addr', loki.url, '--from', from, '--to', to, '--limit', '1000000', '--batch', '5000', '--quiet', '-o', 'raw', `{service_name=~".+"} |= "${id}"`],
          count: (out) => out.split('\n').filter((l) => l.includes(id)).length,
        },
      ]);
      const ratio = ours.ms / theirs.ms;
      const good = ours.lines === want;
      ok &&= good;
      console.log(
        `  ${name.padEnd(6)} ${want.toLocaleString('en-US')} lines: ours ${ours.ms.toFixed(0)} ms (fastest ${ours.minMs.toFixed(0)}), ${ours.lines.toLocaleString('en-US')} lines${good ? '' : ' (WRONG)'}` +
          ` · logcli ${theirs.ms.toFixed(0)} ms (fastest ${theirs.minMs.toFixed(0)}), ${theirs.lines.toLocaleString('en-US')} lines (${(want - theirs.lines).toLocaleString('en-US')} lost)` +
          ` · ${ratio.toFixed(2)}× logcli's time (target ≤ ${TARGETS[name].toFixed(1)}×: ${ratio <= TARGETS[name] ? 'met' : 'missed'})`,
      );
    }
  } finally {
    await loki.close();
  }
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ok = await benchLokiReal();
  process.exitCode = ok ? 0 : 1;
}
