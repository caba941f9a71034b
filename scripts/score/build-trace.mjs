// The one place that composes mcp-trace's internals the way `show <id> <files> --json` does
// (src/cli/commands/show.ts). The scorer calls this in-process so a whole corpus scores in
// seconds; test/fidelity/build-trace.test.ts checks it against the real CLI. When the
// pipeline is refactored, this file (and only this file) follows it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { analyseTrace } from '../../dist/analyse/analyse-trace.js';
import { assembleTrace } from '../../dist/assemble/assemble.js';
import { collectTrace } from '../../dist/collect/collect-trace.js';
import { openLocalSources } from '../../dist/cli/source-options.js';
import { renderJson } from '../../dist/render/json.js';
import { criticalPath } from '../../dist/analyse/critical-path.js';
import { canonicalTraceId } from '../../dist/trace-id.js';

export const CLI = fileURLToPath(new URL('../../bin/mcp-trace.js', import.meta.url));

/** The CLI's defaults for `show` (commander fills these in when no flag is given). */
const SHOW_DEFAULTS = { format: 'tree', maxSkew: 1000, skewAdjust: true };

/**
 * `mcp-trace show <traceIdArg> <files...> --json`, parsed; null where the CLI would say
 * "trace … not found" (exit 3). `files` are paths (globs are expanded as the CLI does).
 */
export async function buildTrace(traceIdArg, files, flags = {}) {
  const options = { ...SHOW_DEFAULTS, ...flags };
  const traceId = canonicalTraceId(traceIdArg) || traceIdArg;
  // stdinIsTTY=true: like a CLI run from a terminal, standard input is never read.
  const source = await openLocalSources(files, true);
  const { records, stats } = await collectTrace(source, traceId, options);
  if (records.length === 0) return null;
  const trace = analyseTrace(assembleTrace(traceId, records), { adjust: options.skewAdjust, maxSkewMs: options.maxSkew });
  return JSON.parse(renderJson(trace, stats, { critical: criticalPath(trace) }));
}

/**
 * The trace ids `mcp-trace traces <files> --json` lists, by spawning the real CLI once, as a
 * user runs it. `--limit` is raised so no row is cut.
 */
export async function listTraces(files, { limit = 1_000_000 } = {}) {
  const { code, stdout, stderr } = await runCli(['traces', ...files, '--json', '--limit', String(limit)]);
  if (code !== 0) throw new Error(`mcp-trace traces exited ${code}: ${stderr.trim()}`);
  return JSON.parse(stdout).map((row) => row.traceId);
}

/** Runs bin/mcp-trace.js with standard input closed; resolves with exit code and output. */
export function runCli(args, { cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}
