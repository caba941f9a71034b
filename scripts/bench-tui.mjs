#!/usr/bin/env node
// The interactive view at scale, on the built dist (run `npm run build` first): a deterministic
// 100 000-span trace (bench-analysis.mjs's bushy records, assembled) opened as `show -i` opens
// it (skew adjustment, critical path, the view's model, the first screen drawn), then keys pressed as a
// user scrolls: j, PgDn, G, [ and ], E, a search. Targets: opens in < 3 s; no scroll key > 50 ms.
// What is timed is the work between a key and its screen (store transition + drawing the
// screen's lines); Ink writes about 30 lines a frame, whatever the trace's size.
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { bushyRecords } from './bench-analysis.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const OPEN_TARGET_MS = 3000;
const KEY_TARGET_MS = 50;
const SIZE = { columns: 120, rows: 40 };

const load = (rel) => import(pathToFileURL(path.join(DIST, rel)).href);

export async function benchTui() {
  const { assembleTrace } = await load('assemble/assemble.js');
  const { adjustClockSkew } = await load('analyse/clock-skew.js');
  const { criticalPath } = await load('analyse/critical-path.js');
  const { traceModel } = await load('tui/trace-model.js');
  const { initialTraceState, reduceTrace } = await load('tui/trace-store.js');
  const { traceScreen, paneHeights } = await load('tui/trace-screen.js');
  const { makePainter } = await load('render/palette.js');
  const paint = makePainter(true, 2);
  const records = bushyRecords();
  const a0 = performance.now();
  const assembled = assembleTrace('bench', records);
  const assembleMs = performance.now() - a0;
  const stats = { linesRead: 0, linesMatched: 0, malformedLines: 0, bytesRead: 0 };

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const trace = adjustClockSkew(assembled, { maxSkewMs: 1000 });
  const model = traceModel(trace, stats, criticalPath(trace));
  let state = initialTraceState(model, paneHeights(SIZE.rows).tree);
  let screen = traceScreen(model, state, SIZE, paint);
  const openMs = performance.now() - t0;
  const openCpu = process.cpuUsage(cpu0);
  const openCpuMs = (openCpu.user + openCpu.system) / 1000;

  const keys = [
    ...Array(100).fill({ type: 'move', by: 1 }),
    ...Array(20).fill({ type: 'pageMove', pages: 1 }),
    { type: 'last' },
    { type: 'first' },
    { type: 'collapseAll' },
    { type: 'expandAll' },
    ...Array(10).fill({ type: 'nextError' }),
  ];
  const times = [];
  const cpuTimes = [];
  for (const action of keys) {
    const t = performance.now();
    const c = process.cpuUsage();
    state = reduceTrace(model, state, action);
    screen = traceScreen(model, state, SIZE, paint);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const t = performance.now();
  state = reduceTrace(model, reduceTrace(model, reduceTrace(model, state, { type: 'searchStart' }), { type: 'searchType', text: 'op-42' }), { type: 'searchCommit' });
  screen = traceScreen(model, state, SIZE, paint);
  const searchMs = performance.now() - t;
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  return { spans: model.spans.length, assembleMs, openMs, openCpuMs, keyMaxCpuMs: cpuTimes[cpuTimes.length - 1], keyMedianMs: times[times.length >> 1], keyMaxMs: times[times.length - 1], keys: times.length, searchMs, lines: screen.length, matches: state.search.matches.length };
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchTui();
  const openOk = r.openMs < OPEN_TARGET_MS;
  const keyOk = r.keyMaxMs < KEY_TARGET_MS;
  console.log(`interactive view bench (${r.spans.toLocaleString('en')} spans, ${SIZE.columns}×${SIZE.rows})`);
  console.log(`  before the view, as show: assembly of 200 000 records ${fmt(r.assembleMs)} (not in the figure below)`);
  console.log(`  open (skew + critical path + model + first screen)  ${fmt(r.openMs)} (CPU ${fmt(r.openCpuMs)})  (target < 3 s: ${openOk ? 'ok' : 'MISSED'})`);
  console.log(`  a key (transition + screen), ${r.keys} keys        median ${fmt(r.keyMedianMs)}, max ${fmt(r.keyMaxMs)} (CPU max ${fmt(r.keyMaxCpuMs)})  (target < ${KEY_TARGET_MS} ms: ${keyOk ? 'ok' : 'MISSED'})`);
  console.log(`  first search (builds the search text of every span) ${fmt(r.searchMs)}, ${r.matches} matches`);
  console.log(`  screen: ${r.lines} lines drawn per frame`);
  const os = await import('node:os');
  console.log(`  (load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores: wall times are inflated when it exceeds the core count)`);
  if (!openOk || !keyOk) process.exitCode = 1;
}
