import { stdinBringsNoLogs } from './stdin-input.js';
import { UsageError } from '../errors.js';
import { traceQuery } from '../sources/loki/logql.js';
import type { LokiSource } from '../sources/loki/loki-source.js';
import { traceIdTimeHint } from '../trace-id.js';
import { resolveLokiConnection, wantsLoki, type LokiFlags, type LokiWindowFlags } from './loki-options.js';
import { startProgress } from './progress.js';
import { sanitizeMessage } from '../render/sanitize.js';
import { describeWindow, nowNs, resolveTimeWindow, type TimeWindow } from './time-window.js';

export interface LokiTraceFlags extends LokiFlags, LokiWindowFlags {
  verbose?: boolean;
}

export interface LokiTraceSource {
  source: LokiSource;
  window: TimeWindow;
  query: string;
}

export interface LokiContext {
  hasFiles: boolean;
  stdinIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: bigint;
  stderr?: NodeJS.WriteStream;
}

/**
 * The Loki source for one trace when Loki is the source (see wantsLoki), else null: connection
 * from flags/env/profile, the window (centred on the id's own time when it has one), the LogQL,
 * a spinner with lines and requests on a terminal, --verbose request lines and warnings on stderr.
 */
export async function openLokiTraceSource(traceIdArg: string, flags: LokiTraceFlags, context: LokiContext): Promise<LokiTraceSource | null> {
  const env = context.env ?? process.env;
  const stdinIsTTY = context.stdinIsTTY ?? stdinBringsNoLogs();
  if (!wantsLoki(flags, { hasFiles: context.hasFiles, stdinIsTTY, env })) return null;
  if (context.hasFiles) throw new UsageError('read either from Loki (--loki, --profile) or from files, not both');
  const connection = resolveLokiConnection(flags.loki === undefined && flags.profile === undefined ? { ...flags, loki: true } : flags, env)!;
  const window = resolveTimeWindow(flags, context.now ?? nowNs(), traceIdTimeHint(traceIdArg));
  const query = traceQuery(traceIdArg.trim(), { selector: flags.selector, services: flags.service?.split(',') });
  const stderr = context.stderr ?? process.stderr;
  const progress = startProgress(stderr);
  // Loaded on demand: the HTTP client costs start-up time that file users should not pay.
  const { LokiSource } = await import('../sources/loki/loki-source.js');
  const source = new LokiSource(connection, {
    query,
    fromNs: window.fromNs,
    toNs: window.toNs,
    parallel: flags.parallel,
    limit: flags.pageSize,
    log: flags.verbose ? (line) => stderr.write(`mcp-trace: loki: ${sanitizeMessage(line)}\n`) : undefined,
    onWarning: (message) => stderr.write(`mcp-trace: warning: ${sanitizeMessage(message)}\n`),
    onFetchProgress: (p) =>
      progress.update(`Loki: ${grouped(p.lines)} lines, ${grouped(p.rangesDone)}/${grouped(p.rangesTotal)} sub-ranges, ${p.requests} requests`),
    onFetchEnd: () => progress.stop(),
  });
  if (flags.verbose) stderr.write(`mcp-trace: loki: ${sanitizeMessage(`querying ${source.description} ${describeWindow(window)}: ${query}`)}\n`);
  return { source, window, query };
}

/**
 * 12,345: toLocaleString's first call loads ICU's number formats (30-50 ms), paid after every
 * fetch even when no spinner is shown.
 */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
