#!/usr/bin/env node
// `npm run bench`: measures what the README promises, on a synthetic NDJSON file (see
// bench-data.mjs), in one run:
//   show    median wall time of `mcp-trace show <id> <file> --json` vs GNU `grep -F <id> <file>`,
//           and show's peak RSS, at the full size and at 1/8 of it (memory must not grow);
//   traces  throughput of `mcp-trace traces <file> --json` vs `jq -c 'select(.trace_id != null)'`;
//   loki, analysis, mcp, tui  the sub-benches scripts/bench-loki.mjs, bench-analysis.mjs, bench-mcp.mjs
//           and bench-tui.mjs (the interactive view on a 100 000-span trace).
// A step whose command is missing or fails prints "skipped: <reason>" and the rest go on.
//
// Flags: --size 1g (e.g. 128m for a quick run) · --runs 3 · --only show|traces|loki|analysis|mcp|tui
//        (comma-separated for several; also startup) · --clean (delete the generated files and stop)

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, platform, arch, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { cleanBenchFiles, BENCH_DIR, ensureBenchFile, formatSize, parseSize, TARGET_TRACE_ID } from './bench-data.mjs';
import { median, rssMethod, runMeasured } from './lib/bench-run.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// MCP_TRACE_BENCH_BIN benches another build (or a stand-in, to try the bench itself).
const BIN = process.env.MCP_TRACE_BENCH_BIN ?? fileURLToPath(new URL('../bin/mcp-trace.js', import.meta.url));
const STEPS = ['startup', 'show', 'traces', 'loki', 'analysis', 'mcp', 'tui'];
const SUB_BENCHES = { loki: 'scripts/bench-loki.mjs', analysis: 'scripts/bench-analysis.mjs', mcp: 'scripts/bench-mcp.mjs', tui: 'scripts/bench-tui.mjs' };
const TARGETS = { showVsGrep: 1.5, rssMb: 150, tracesVsJq: 5, tracesVsDuckdb: 2, tracesRssMb: 500, startupVsNode: 2.5 };

function parseArgs(argv) {
  const opts = { size: parseSize('1g'), runs: 3, only: new Set(STEPS), clean: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--size') opts.size = sizeArg(value());
    else if (flag === '--runs') opts.runs = Math.max(1, Number.parseInt(value(), 10) || 0);
    else if (flag === '--only') {
      const wanted = value().split(',').map((s) => s.trim());
      const unknown = wanted.filter((s) => !STEPS.includes(s));
      if (unknown.length) usage(`unknown step "${unknown[0]}": use one of ${STEPS.join(', ')}`);
      opts.only = new Set(wanted);
    } else if (flag === '--clean') opts.clean = true;
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown flag "${argv[i]}"`);
  }
  if (!opts.runs) usage('--runs needs a positive number');
  return opts;
}

function sizeArg(text) {
  try {
    return parseSize(text);
  } catch (err) {
    return usage(err.message);
  }
}

function usage(problem) {
  if (problem) console.error(`bench: ${problem}`);
  console.error('usage: node scripts/bench.mjs [--size 1g] [--runs 3] [--only show|traces|loki|analysis|mcp|tui] [--clean]');
  process.exit(problem ? 2 : 0);
}

// ── formatting ──────────────────────────────────────────────────────────────────────────────

const secs = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const mb = (kb) => (kb == null ? 'n/a' : `${((kb * 1024) / 1e6).toFixed(0)} MB`);
const timed = (m) => (m.cpu == null ? secs(m.seconds) : `${secs(m.seconds)} (${secs(m.cpu)})`);
const ratio = (r) => `${r.toFixed(2)}×`;
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
const pad = (text, width) => String(text).padEnd(width);
const skipped = (reason) => console.log(`  skipped: ${reason}`);

function header(opts) {
  const cpu = cpus();
  console.log(`mcp-trace bench · node ${process.version} · ${platform()} ${arch()} · ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}) · ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM`);
  console.log(`size ${formatSize(opts.size)} · ${opts.runs} run(s) per figure (median) · peak RSS via ${rssMethod()} · files in ${BENCH_DIR}`);
  console.log('times are wall clock; (cpu) is user + system CPU time where it could be measured');
}

// ── the CLI under test ──────────────────────────────────────────────────────────────────────

/** Why `mcp-trace <command>` cannot be benched, or null when it can. */
function commandMissing(command) {
  if (!existsSync(BIN)) return `${BIN} not found`;
  // The root help lists the commands; `<unknown> --help` would print it too and exit 0.
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  if (/Cannot find module|ERR_MODULE_NOT_FOUND/.test(stderr)) return 'the CLI is not built (run `npm run build`)';
  if (status !== 0) return `\`mcp-trace --help\` exited with ${status}: ${stderr.trim().split('\n')[0]}`;
  if (!new RegExp(`^\\s+${command}\\b`, 'm').test(stdout)) return `\`mcp-trace ${command}\` does not exist yet`;
  return null;
}

function fileFor(sizeBytes) {
  const info = ensureBenchFile(sizeBytes, { log: (m) => console.log(`  ${m}`) });
  const how = info.reused ? 'reused' : `written in ${info.seconds.toFixed(1)} s`;
  console.log(`  file: ${info.path} (${formatSize(info.bytes)}, ${info.traces.toLocaleString('en')} traces, ${how})`);
  return info;
}

/**
 * Reads the file once, unmeasured, so no measured run pays for the first read from disk. (Not
 * `cat > /dev/null`: cat may splice to /dev/null without reading the pages.) On a machine whose
 * page cache cannot hold the file, every run still reads from disk, for grep and show alike.
 */
async function warmUp(path) {
  await runMeasured('grep', ['-c', '-F', TARGET_TRACE_ID, path]);
}

// ── show vs grep -F ─────────────────────────────────────────────────────────────────────────

async function measureShowAt(info, runs) {
  await warmUp(info.path);
  const show = [];
  const grep = [];
  let rssKb = 0;
  let check = null;
  // Interleaved, so a slow moment on the machine hurts both sides alike.
  for (let i = 0; i < runs; i++) {
    const s = await runMeasured(process.execPath, [BIN, 'show', TARGET_TRACE_ID, info.path, '--json'], { measureRss: true, keepStdout: true });
    if (s.code !== 0) return { failed: `show exited with ${s.code ?? s.signal}: ${s.stderr.trim().split('\n')[0] ?? ''}` };
    // Every run is checked: a run that did not find the trace says nothing about speed.
    const found = checkShowOutput(s.stdout, info);
    if (!found.ok) return { failed: `run ${i + 1}: ${found.text}` };
    check = found.text;
    show.push(s);
    rssKb = Math.max(rssKb, s.rssKb ?? 0);
    const g = await runMeasured('grep', ['-F', TARGET_TRACE_ID, info.path], { measureRss: true });
    if (g.code !== 0) return { failed: `grep -F exited with ${g.code}: ${g.stderr.trim()}` };
    grep.push(g);
  }
  return { bytes: info.bytes, show: medianOf(show), grep: medianOf(grep), rssKb: rssKb || null, check };
}

/** Median wall time, and the median CPU time (user + system) when it was measured. */
function medianOf(runs) {
  const cpu = runs.map((r) => r.cpuSeconds).filter((c) => c != null);
  return { seconds: median(runs.map((r) => r.seconds)), cpu: cpu.length ? median(cpu) : null };
}

/** The timing only counts if show found the hidden trace, all of it. */
function checkShowOutput(stdout, info) {
  let trace;
  try {
    trace = JSON.parse(stdout);
  } catch (err) {
    return { ok: false, text: `show --json did not print one JSON object (${err.message})` };
  }
  const matched = trace.stats?.linesMatched;
  if (trace.traceId !== TARGET_TRACE_ID) return { ok: false, text: `show --json named trace ${trace.traceId}, not ${TARGET_TRACE_ID}` };
  if (matched !== info.targetLines) return { ok: false, text: `show matched ${matched} lines of the ${info.targetLines} the trace has` };
  return { ok: true, text: `found the trace: ${trace.spanCount} spans, ${matched} lines of ${trace.stats.linesRead.toLocaleString('en')}` };
}

async function benchShow(opts, summary) {
  console.log('\nshow <id> vs grep -F <id> (after a warm-up read)');
  const missing = commandMissing('show');
  if (missing) return skipped(missing);
  if (!hasGrep()) return skipped('GNU grep not found');
  const rows = [];
  for (const size of [opts.size, Math.floor(opts.size / 8)]) {
    const info = fileFor(size);
    const r = await measureShowAt(info, opts.runs);
    if (r.failed) return skipped(r.failed);
    console.log(`  ${r.check}`);
    rows.push(r);
  }
  console.log(`  ${pad('size', 11)}${pad('show (cpu)', 18)}${pad('grep -F (cpu)', 18)}${pad('ratio', 16)}peak RSS`);
  for (const r of rows) {
    const x = r.show.seconds / r.grep.seconds;
    const rssOk = r.rssKb != null && (r.rssKb * 1024) / 1e6 < TARGETS.rssMb;
    console.log(
      `  ${pad(formatSize(r.bytes), 11)}${pad(timed(r.show), 18)}${pad(timed(r.grep), 18)}` +
        `${pad(`${ratio(x)} ${verdict(x <= TARGETS.showVsGrep)}`, 16)}${mb(r.rssKb)} ${r.rssKb == null ? '' : verdict(rssOk)}`,
    );
  }
  const growth = rows[1].rssKb && rows[0].rssKb ? rows[0].rssKb / rows[1].rssKb : null;
  console.log(`  targets: show ≤ ${TARGETS.showVsGrep}× grep -F; peak RSS < ${TARGETS.rssMb} MB at any size` + (growth ? ` (RSS at full size / at 1/8: ${ratio(growth)})` : ''));
  summary.show = rows;
}

function hasGrep() {
  const { status, stdout } = spawnSync('grep', ['--version'], { encoding: 'utf8' });
  return status === 0 && /GNU grep/.test(stdout);
}

// ── traces vs jq ────────────────────────────────────────────────────────────────────────────

/** `--version` and `--help` against `node -e 0`: what loading the CLI itself costs. */
async function benchStartup(opts) {
  console.log('\nstart-up: mcp-trace --version and --help vs node -e 0 (median of 5 after a warm-up)');
  const medianSeconds = async (cmd, args) => {
    await runMeasured(cmd, args);
    const runs = [];
    for (let i = 0; i < Math.max(5, opts.runs); i++) runs.push((await runMeasured(cmd, args)).seconds);
    return median(runs);
  };
  const node = await medianSeconds(process.execPath, ['-e', '0']);
  for (const flag of ['--version', '--help']) {
    const t = await medianSeconds(process.execPath, [BIN, flag]);
    console.log(`  ${flag}: ${secs(t)} vs node -e 0 ${secs(node)}: ${ratio(t / node)} ${verdict(t / node <= TARGETS.startupVsNode)} (target ≤ ${TARGETS.startupVsNode}×)`);
  }
}

/**
 * The anchor a user with a big file reaches for: DuckDB's read_json with a group by trace id
 * (scripts/lib/duckdb-traces.mjs, 2 threads), as its own process so its RSS is measured too.
 */
async function benchDuckdb(info, result) {
  const script = fileURLToPath(new URL('./lib/duckdb-traces.mjs', import.meta.url));
  const d = await runMeasured(process.execPath, [script, info.path], { measureRss: true, keepStdout: true });
  if (d.code !== 0) {
    const why = /Cannot find (package|module)/.test(d.stderr) ? '@duckdb/node-api is not installed (npm ci installs it)' : d.stderr.trim().split('\n').pop();
    return console.log(`  duckdb: skipped: ${why}`);
  }
  const { traces } = JSON.parse(d.stdout.trim().split('\n').pop());
  result.duckdbSeconds = d.seconds;
  result.duckdbRssKb = d.rssKb ?? null;
  const x = result.seconds / d.seconds;
  console.log(`  duckdb: ${timed({ seconds: d.seconds, cpu: d.cpuSeconds })} → ${(info.bytes / 1e6 / d.seconds).toFixed(0)} MB/s, peak RSS ${mb(d.rssKb)}, ${traces.toLocaleString('en')} traces (1 run, 2 threads)`);
  console.log(`  traces takes ${ratio(x)} DuckDB's wall time: ${verdict(x <= TARGETS.tracesVsDuckdb)} (target ≤ ${TARGETS.tracesVsDuckdb}×); peak RSS ${verdict((result.rssKb ?? Infinity) * 1024 / 1e6 <= TARGETS.tracesRssMb)} (target < ${TARGETS.tracesRssMb} MB)`);
}

async function benchTraces(opts, summary) {
  console.log("\ntraces vs jq -c 'select(.trace_id != null)' and DuckDB (after a warm-up read)");
  const missing = commandMissing('traces');
  if (missing) return skipped(missing);
  const info = fileFor(opts.size);
  await warmUp(info.path);
  const times = [];
  let rssKb = 0;
  for (let i = 0; i < opts.runs; i++) {
    // On every core, whatever the load (by default `traces` leaves out cores the load average says are busy).
    const r = await runMeasured(process.execPath, [BIN, 'traces', info.path, '--json'], { measureRss: true, env: { MCP_TRACE_THREADS: String(availableParallelism()) } });
    if (r.code !== 0) return skipped(`traces exited with ${r.code ?? r.signal}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
    times.push(r);
    rssKb = Math.max(rssKb, r.rssKb ?? 0);
  }
  const t = medianOf(times);
  const tracesMbs = info.bytes / 1e6 / t.seconds;
  console.log(`  traces: ${timed(t)} → ${tracesMbs.toFixed(0)} MB/s, peak RSS ${mb(rssKb || null)}`);
  const result = { bytes: info.bytes, seconds: t.seconds, mbs: tracesMbs, rssKb: rssKb || null };
  // The same read on one thread: what the threads (analyse/parallel-rows.ts) buy.
  const one = await runMeasured(process.execPath, [BIN, 'traces', info.path, '--json'], { measureRss: true, env: { MCP_TRACE_THREADS: '1' } });
  if (one.code === 0) {
    result.oneThread = { seconds: one.seconds, rssKb: one.rssKb ?? null };
    console.log(`  traces on one thread (MCP_TRACE_THREADS=1, 1 run): ${timed({ seconds: one.seconds, cpu: one.cpuSeconds })}, peak RSS ${mb(one.rssKb ?? null)}; threads: ${ratio(one.seconds / t.seconds)} faster`);
  }
  if (spawnSync('jq', ['--version']).status !== 0) {
    console.log('  jq: skipped: jq is not installed (apt-get install -y jq)');
  } else {
    // One jq run: at ~15 MB/s it takes over a minute per GiB, and its spread is small.
    const j = await runMeasured('jq', ['-c', 'select(.trace_id != null)', info.path], { stdoutToNull: true, measureRss: true });
    if (j.code !== 0) {
      console.log(`  jq: skipped: jq exited with ${j.code}: ${j.stderr.trim().split('\n')[0]}`);
    } else {
      result.jqMbs = info.bytes / 1e6 / j.seconds;
      const x = tracesMbs / result.jqMbs;
      console.log(`  jq:     ${timed({ seconds: j.seconds, cpu: j.cpuSeconds })} → ${result.jqMbs.toFixed(0)} MB/s (1 run)`);
      console.log(`  traces is ${ratio(x)} jq's throughput: ${verdict(x >= TARGETS.tracesVsJq)} (target ≥ ${TARGETS.tracesVsJq}×)`);
    }
  }
  await benchDuckdb(info, result);
  summary.traces = result;
}

// ── sub-benches written by others ───────────────────────────────────────────────────────────

async function benchSub(step, opts, summary) {
  const script = SUB_BENCHES[step];
  console.log(`\n${step} (${script})`);
  if (!existsSync(new URL(`../${script}`, import.meta.url))) return skipped(`${script} does not exist yet`);
  const env = {
    ...process.env,
    MCP_TRACE_BENCH_SIZE: String(opts.size),
    MCP_TRACE_BENCH_RUNS: String(opts.runs),
    MCP_TRACE_BENCH_DIR: BENCH_DIR,
    MCP_TRACE_BENCH_TARGET: TARGET_TRACE_ID,
  };
  // The MCP cache is measured on the bench file itself (written here when missing).
  if (step === 'mcp') env.MCP_TRACE_BENCH_FILE = fileFor(opts.size).path;
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c));
  });
  // A sub-bench exits non-zero when it misses its own target; its output above says which.
  if (code !== 0) console.log(`  ${script} exited with ${code}`);
  summary[step] = code === 0 ? 'ran' : `failed (${code})`;
}

// ── summary for the README ──────────────────────────────────────────────────────────────────

function printSummary(summary) {
  if (!summary.show && !summary.traces) return;
  console.log('\nREADME table:');
  console.log('| measure | figure | target |\n|---|---|---|');
  for (const r of summary.show ?? []) {
    console.log(`| \`show\` on ${formatSize(r.bytes)} | ${secs(r.show.seconds)} (grep -F: ${secs(r.grep.seconds)}, ${ratio(r.show.seconds / r.grep.seconds)}) | ≤ ${TARGETS.showVsGrep}× grep -F |`);
    console.log(`| \`show\` peak RSS on ${formatSize(r.bytes)} | ${mb(r.rssKb)} | < ${TARGETS.rssMb} MB |`);
  }
  const t = summary.traces;
  if (t) {
    const jq = t.jqMbs ? ` (jq: ${t.jqMbs.toFixed(0)} MB/s, ${ratio(t.mbs / t.jqMbs)})` : '';
    console.log(`| \`traces\` on ${formatSize(t.bytes)} | ${t.mbs.toFixed(0)} MB/s${jq}, peak RSS ${mb(t.rssKb)} | ≥ ${TARGETS.tracesVsJq}× jq |`);
    if (t.oneThread) console.log(`| \`traces\` on one thread (MCP_TRACE_THREADS=1) | ${secs(t.oneThread.seconds)}, peak RSS ${mb(t.oneThread.rssKb)} | |`);
    if (t.duckdbSeconds) console.log(`| \`traces\` vs DuckDB | ${secs(t.seconds)} vs ${secs(t.duckdbSeconds)}: ${ratio(t.seconds / t.duckdbSeconds)}, RSS ${mb(t.rssKb)} vs ${mb(t.duckdbRssKb)} | ≤ ${TARGETS.tracesVsDuckdb}×, < ${TARGETS.tracesRssMb} MB |`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.clean) {
    cleanBenchFiles();
    console.log(`removed ${BENCH_DIR}`);
    return;
  }
  header(opts);
  const summary = {};
  if (opts.only.has('startup')) await benchStartup(opts);
  if (opts.only.has('show')) await benchShow(opts, summary);
  if (opts.only.has('traces')) await benchTraces(opts, summary);
  for (const step of ['loki', 'analysis', 'mcp', 'tui']) if (opts.only.has(step)) await benchSub(step, opts, summary);
  printSummary(summary);
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
