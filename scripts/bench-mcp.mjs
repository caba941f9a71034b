#!/usr/bin/env node
// What `mcp-trace mcp` hands an agent, on the built CLI (run `npm run build` first):
//  - bytes and approximate tokens (bytes / 4) of get_trace and get_critical_path on traces of
//    100, 1 000 and 10 000 spans, against the full `show --json` of the same trace. Targets:
//    get_trace on 1 000 spans < 25 KB; get_critical_path < 10 KB at any size;
//  - the cache: a first and a second get_trace on the bench file (`npm run bench` writes it),
//    since an agent calls several tools on one trace in a row.
// The traces are the analysis bench's bushy traces (bench-analysis.mjs), written as pino lines
// (scripts/lib/log-styles.mjs) to a temp folder and read back through the real server over stdio.
// Standalone (`node scripts/bench-mcp.mjs`) or run by scripts/bench.mjs (--only mcp).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { bushyRecords, chainRecords } from './bench-analysis.mjs';
import { pinoLine } from './lib/log-styles.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'mcp-trace.js');
const DIR = path.join(process.env.MCP_TRACE_BENCH_DIR ?? path.join(tmpdir(), 'mcp-trace-bench'), 'mcp');
/** The bushy traces, and a 10 000-deep chain: the longest critical path (one segment per span and per return). */
const TRACES = [
  { n: 100, shape: 'bushy' },
  { n: 1000, shape: 'bushy' },
  { n: 10_000, shape: 'bushy' },
  { n: 10_000, shape: 'chain' },
];
const TARGET_TRACE_KB = 25;
const TARGET_CRITICAL_KB = 10;

/** The analysis bench numbers spans from 0, and an all-zero span id is OpenTelemetry's "no span": shift by one. */
const spanIdOf = (id) => (BigInt(`0x${id}`) + 1n).toString(16).padStart(16, '0');
const traceIdFor = (n, shape) => `${shape === 'chain' ? 'c' : '0'}0000000000000000000000000${n.toString(16).padStart(6, '0')}`;

/** One pino file per trace: the bench trace's start and end line of every span, in time order. */
function writeTraceFile(n, shape) {
  const file = path.join(DIR, `trace-${shape}-${n}-v3.log`);
  if (existsSync(file)) return file;
  const traceId = traceIdFor(n, shape);
  // The chain's spans start 1 µs apart and pino stamps milliseconds: stretched 1000× they stay apart.
  const records = (shape === 'chain' ? stretched(chainRecords(n), 1000n) : bushyRecords(n, 7)).sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  const lines = records.map((r) =>
    pinoLine({
      tUs: Number(r.timeNs / 1000n),
      level: r.level,
      pid: 4242,
      hostname: `${r.service}-7d9f`,
      bindings: { service: r.service, ...(r.parentSpanId ? { parent_span_id: spanIdOf(r.parentSpanId) } : {}) },
      mixin: { trace_id: traceId, span_id: spanIdOf(r.spanId), trace_flags: '01' },
      fields: { span_name: r.spanName, ...(r.error ? { err: { type: 'Error', message: 'upstream refused the connection' } } : {}) },
      msg: r.message,
    }),
  );
  mkdirSync(DIR, { recursive: true });
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function stretched(records, factor) {
  const t0 = records.reduce((min, r) => (r.timeNs < min ? r.timeNs : min), records[0].timeNs);
  return records.map((r) => ({ ...r, timeNs: t0 + (r.timeNs - t0) * factor }));
}

async function connect(files) {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...files], stderr: 'ignore' }));
  return client;
}

/** What the agent reads: the JSON text (the same JSON is also in structuredContent). */
async function callBytes(client, name, args) {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name}: ${r.content[0].text}`);
  return { bytes: Buffer.byteLength(r.content[0].text), out: r.structuredContent };
}

const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const tokens = (b) => `~${Math.round(b / 4).toLocaleString('en')} tokens`;
const verdict = (ok) => (ok ? 'ok' : 'MISSED');

export async function benchMcp() {
  const rows = [];
  for (const { n, shape } of TRACES) {
    const file = writeTraceFile(n, shape);
    const id = traceIdFor(n, shape);
    const show = spawnSync(process.execPath, [BIN, 'show', id, file, '--json'], { maxBuffer: 1 << 30 });
    if (show.status !== 0) throw new Error(`show exited with ${show.status}: ${show.stderr}`);
    const client = await connect([file]);
    try {
      const trace = await callBytes(client, 'get_trace', { traceId: id });
      const critical = await callBytes(client, 'get_critical_path', { traceId: id });
      const criticalMax = await callBytes(client, 'get_critical_path', { traceId: id, limit: 40 });
      rows.push({ n, shape, segments: critical.out.truncated?.total ?? critical.out.segments.length, spans: trace.out.spanCount, show: show.stdout.length, trace: trace.bytes, shown: trace.out.spans.length, critical: critical.bytes, criticalMax: criticalMax.bytes });
    } finally {
      await client.close();
    }
  }
  return rows;
}

/** First and second get_trace of the bench file's hidden trace: the second comes from the cache. */
export async function benchCache(benchFile, traceId) {
  const client = await connect([benchFile]);
  try {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await callBytes(client, 'get_trace', { traceId });
      times.push(performance.now() - t);
    }
    const t = performance.now();
    await callBytes(client, 'get_trace_errors', { traceId });
    return { first: times[0], second: times[1], third: times[2], otherTool: performance.now() - t };
  } finally {
    await client.close();
  }
}

function printRows(rows) {
  console.log(`  ${'trace'.padEnd(14)}${'show --json'.padEnd(28)}${'get_trace (default 60 spans)'.padEnd(40)}${'get_critical_path (30 / max 40)'}`);
  let ok = true;
  for (const r of rows) {
    const traceOk = r.n !== 1000 || r.trace < TARGET_TRACE_KB * 1000;
    const label = `${r.spans} ${r.shape}`;
    const critOk = r.criticalMax < TARGET_CRITICAL_KB * 1000;
    ok &&= traceOk && critOk;
    console.log(
      `  ${label.padEnd(14)}${`${kb(r.show)} (${tokens(r.show)})`.padEnd(28)}` +
        `${`${kb(r.trace)} (${tokens(r.trace)}), ${r.shown} spans${r.n === 1000 ? ` ${verdict(traceOk)}` : ''}`.padEnd(40)}` +
        `${kb(r.critical)} / ${kb(r.criticalMax)} (${tokens(r.criticalMax)}) ${verdict(critOk)}, of ${r.segments} segments`,
    );
  }
  console.log(`  targets: get_trace on 1 000 spans < ${TARGET_TRACE_KB} KB; get_critical_path < ${TARGET_CRITICAL_KB} KB at any size (at its max limit)`);
  return ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log('mcp: bytes returned to an agent (tokens ≈ bytes / 4)');
  const ok = printRows(await benchMcp());
  const benchFile = process.env.MCP_TRACE_BENCH_FILE;
  if (benchFile && existsSync(benchFile)) {
    const c = await benchCache(benchFile, process.env.MCP_TRACE_BENCH_TARGET);
    const ms = (x) => `${x.toFixed(0)} ms`;
    console.log(`  cache on ${path.basename(benchFile)}: get_trace first ${ms(c.first)}, second ${ms(c.second)}, third ${ms(c.third)}; get_trace_errors after them ${ms(c.otherTool)}`);
  } else {
    console.log('  cache: skipped: no bench file (run through npm run bench, which writes it)');
  }
  if (!ok) process.exitCode = 1;
}
