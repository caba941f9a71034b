// Runs one command for the bench and measures what the README reports: wall time, and for Node
// commands the peak RSS. Peak RSS comes from GNU time (`/usr/bin/time -f %M`) when present,
// otherwise from a preload that reports process.resourceUsage().maxRSS on exit.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const RSS_PRELOAD = fileURLToPath(new URL('./report-max-rss.mjs', import.meta.url));
const RSS_MARK = 'MCP_TRACE_BENCH_MAXRSS_KB=';

/** How peak RSS is measured on this machine, for the report. */
export const rssMethod = () => (hasGnuTime() ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (preload)');

let gnuTime;
function hasGnuTime() {
  // MCP_TRACE_BENCH_NO_GNU_TIME=1 forces the preload path, to check it on a machine with GNU time.
  gnuTime ??= !process.env.MCP_TRACE_BENCH_NO_GNU_TIME && existsSync(GNU_TIME) && spawnSyncOk(GNU_TIME, ['-f', '%M', 'true']);
  return gnuTime;
}

function spawnSyncOk(cmd, args) {
  // GNU time accepts -f; BSD and BusyBox `time` may not, which is the case guarded against.
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{measureRss?: boolean, keepStdout?: boolean, stdoutToNull?: boolean, env?: object}} opts
 * @returns {Promise<{code:number|null, signal:string|null, seconds:number, rssKb:number|null, cpuSeconds:number|null, stdout:string, stderr:string}>}
 */
export async function runMeasured(cmd, args, opts = {}) {
  let argv = [cmd, ...args];
  let rssFile = null;
  const env = { ...process.env, ...opts.env };
  if (opts.measureRss) {
    if (hasGnuTime()) {
      argv = [GNU_TIME, '-f', `${RSS_MARK}%M %U %S`, ...argv];
    } else if (cmd === process.execPath) {
      // Without GNU time only Node children can be measured, from the inside.
      rssFile = join(tmpdir(), `mcp-trace-bench-rss-${process.pid}-${Date.now()}`);
      env.MCP_TRACE_BENCH_RSS_FILE = rssFile;
      argv = [cmd, '--import', RSS_PRELOAD, ...args];
    }
  }
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', opts.stdoutToNull ? 'ignore' : 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // Drained even when unused: a full pipe would stall the child and the timing with it. GNU
  // grep is never given /dev/null as stdout, because it then stops at the first match.
  child.stdout?.on('data', (chunk) => {
    if (opts.keepStdout) stdout += chunk;
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let usage = null;
  const mark = stderr.lastIndexOf(RSS_MARK);
  if (mark >= 0) {
    usage = stderr.slice(mark + RSS_MARK.length).trim().split('\n')[0];
    stderr = stderr.slice(0, mark);
  } else if (rssFile && existsSync(rssFile)) {
    usage = readFileSync(rssFile, 'utf8');
    rmSync(rssFile, { force: true });
  }
  // "<max RSS KiB> <user s> <system s>"
  const [rssKb, user, system] = usage ? usage.split(' ').map(Number) : [null, null, null];
  const cpuSeconds = user == null || system == null ? null : user + system;
  return { code, signal, seconds, rssKb, cpuSeconds, stdout, stderr };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
