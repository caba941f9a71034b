#!/usr/bin/env node
// Analysis and rendering at scale, on the built dist (run `npm run build` first):
//  - a deterministic 100 000-span trace: skew adjustment + critical path + tree render, target < 3 s;
//  - a 100 000-span chain: critical path, skew and self time must finish without a stack overflow.
// Standalone (`node scripts/bench-analysis.mjs`) or imported by scripts/bench.mjs (benchAnalysis()).
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { makeRng } from './lib/prng.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const T0 = 1_730_462_400_000_000_000n;
const SPANS = 100_000;
const TARGET_MS = 3000;

async function load(rel) {
  return import(pathToFileURL(path.join(DIST, rel)).href);
}

function makeSpan(i, parent, service, startNs, endNs, error) {
  const id = i.toString(16).padStart(16, '0');
  const rec = (timeNs, message, level) => ({
    timeNs, level, message, service, traceId: 'bench', spanId: id, parentSpanId: parent?.spanId ?? null,
    durationMs: null, error: error && level === 'error' ? 'boom' : null, spanName: `op-${i % 97}`, host: null,
    attributes: {}, origin: `${service}.log`, lineNo: i,
  });
  return {
    spanId: id, parentSpanId: parent?.spanId ?? null, service, name: `op-${i % 97}`, startNs, endNs,
    durationMs: Number(endNs - startNs) / 1e6,
    records: [rec(startNs, 'started', 'info'), rec(endNs, error ? 'failed' : 'done', error ? 'error' : 'info')],
    error, errorMessage: error ? 'boom' : null, inferredParent: false, placeholder: false, host: null, kind: 'server',
    children: [], depth: parent ? parent.depth + 1 : 0, errorOrigin: false, skewShiftMs: 0, outlivesParent: false,
  };
}

function finishTrace(roots, all) {
  // Tree order, children by start: iterative, like the real assembler.
  const byStart = (a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);
  const spans = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const s = stack.pop();
    s.children.sort(byStart);
    spans.push(s);
    for (let i = s.children.length - 1; i >= 0; i--) stack.push(s.children[i]);
  }
  let startNs = spans[0].startNs;
  let endNs = spans[0].endNs;
  for (const s of spans) {
    if (s.startNs < startNs) startNs = s.startNs;
    if (s.endNs > endNs) endNs = s.endNs;
  }
  const services = [...new Set(spans.map((s) => s.service))];
  return {
    traceId: 'bench', startNs, endNs, durationMs: Number(endNs - startNs) / 1e6, spans, roots, services,
    errorCount: all.filter((s) => s.error).length, structure: 'parent-ids', warnings: [],
    records: spans.flatMap((s) => s.records),
  };
}

/** A bushy trace: every span gets 0–4 children inside its interval, services picked at random. */
export function bushyTrace(n = SPANS, seed = 6) {
  const rand = makeRng(seed).next;
  const services = Array.from({ length: 12 }, (_, i) => `service-${i}`);
  const root = makeSpan(0, null, services[0], T0, T0 + 5_000_000_000n, false);
  const all = [root];
  const queue = [root];
  for (let head = 0; all.length < n; head = (head + 1) % queue.length) {
    const parent = queue[head];
    const dur = parent.endNs - parent.startNs;
    const kids = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < kids && all.length < n; k++) {
      const start = parent.startNs + BigInt(Math.floor(Number(dur) * rand() * 0.6));
      // Now and then a child runs over its parent or starts early: skew and outliving cases.
      const over = rand() < 0.01 ? BigInt(Math.floor(Number(dur) * 0.2)) : 0n;
      const end = start + BigInt(Math.floor(Number(parent.endNs - start) * rand())) + over;
      const child = makeSpan(all.length, parent, services[Math.floor(rand() * services.length)], start, end, rand() < 0.002);
      parent.children.push(child);
      all.push(child);
      queue.push(child);
    }
  }
  return finishTrace([root], all);
}

/** A chain: every span the only child of the previous one. */
export function chainTrace(n = SPANS) {
  const all = [];
  let parent = null;
  for (let i = 0; i < n; i++) {
    const start = T0 + BigInt(i) * 1000n;
    const span = makeSpan(i, parent, i % 2 ? 'odd' : 'even', start, start + BigInt(2 * n - 2 * i) * 1000n, false);
    if (parent) parent.children.push(span);
    all.push(span);
    parent = span;
  }
  return finishTrace([all[0]], all);
}

/** Wall time of fn, in ms; CPU time is kept aside because a busy machine inflates wall time. */
let cpuMs = 0;
function time(fn) {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(c);
  cpuMs = (used.user + used.system) / 1000;
  return [value, performance.now() - t];
}

export async function benchAnalysis() {
  const { renderTree } = await load('render/tree.js');
  const { adjustClockSkew } = await load('analyse/clock-skew.js');
  const { criticalPath, criticalSectionsBySpan } = await load('analyse/critical-path.js');
  const { selfTimes } = await load('analyse/self-time.js');
  const { traceStats } = await load('analyse/stats.js');

  const bushy = bushyTrace();
  const stats = { linesRead: SPANS * 2, linesMatched: SPANS * 2, malformedLines: 0, bytesRead: 0 };
  const runs = [];
  let lines = 0;
  for (let i = 0; i < 3; i++) {
    const [adjusted, skewMs] = time(() => adjustClockSkew(bushy, { maxSkewMs: 1000 }));
    let cpu = cpuMs;
    const [sections, cpMs] = time(() => criticalSectionsBySpan(criticalPath(adjusted)));
    cpu += cpuMs;
    const [text, treeMs] = time(() => renderTree(adjusted, stats, { color: false, width: 120, criticalSections: sections }));
    cpu += cpuMs;
    lines = text.split('\n').length;
    runs.push({ total: skewMs + cpMs + treeMs, cpu, skewMs, cpMs, treeMs });
  }
  const median = runs.sort((a, b) => a.total - b.total)[1];
  const renderMs = median.total;
  const [, statsMs] = time(() => traceStats(bushy));

  const chain = chainTrace();
  const [chainSections, chainCpMs] = time(() => criticalPath(chain));
  const [, chainSkewMs] = time(() => adjustClockSkew(chain, { maxSkewMs: 1000 }));
  const [, chainSelfMs] = time(() => selfTimes(chain));

  return { spans: SPANS, renderMs, parts: median, lines, statsMs, chainCpMs, chainSections: chainSections.length, chainSkewMs, chainSelfMs };
}

function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchAnalysis();
  const ok = r.renderMs < TARGET_MS;
  console.log(`analysis bench (${r.spans.toLocaleString('en')} spans)`);
  console.log(`  bushy trace: skew + critical path + tree render  ${fmt(r.renderMs)} median of 3 (CPU ${fmt(r.parts.cpu)}), ${r.lines} lines  (target < 3 s: ${ok ? 'ok' : 'MISSED'})`);
  console.log(`               of which skew ${fmt(r.parts.skewMs)}, critical path ${fmt(r.parts.cpMs)}, tree ${fmt(r.parts.treeMs)}`);
  console.log(`  bushy trace: per-service/operation stats         ${fmt(r.statsMs)}`);
  console.log(`  chain:       critical path ${fmt(r.chainCpMs)} (${r.chainSections} sections), skew ${fmt(r.chainSkewMs)}, self time ${fmt(r.chainSelfMs)}; no stack overflow`);
  const load = (await import('node:os')).loadavg()[0];
  console.log(`  (load average ${load.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores: wall times are inflated when it exceeds the core count)`);
  if (!ok) process.exitCode = 1;
}
