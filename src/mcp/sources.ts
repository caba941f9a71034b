import { z } from 'zod';
import { lokiWindowSource, whereToRead, type SourceFlags, type Where } from '../cli/check-traces-source.js';
import { openLokiTraceSource } from '../cli/loki-trace-source.js';
import { openLocalSources } from '../cli/source-options.js';
import { describeWindow, nowNs, resolveTimeWindow, type TimeWindow, type WindowFlags } from '../cli/time-window.js';
import { UserError } from '../errors.js';
import { FileSource } from '../sources/files.js';
import type { LogSource } from '../sources/source.js';

/**
 * Where the server reads by default, fixed at start-up: files and globs, or a Loki server with
 * the connection, selector and window flags of `show`/`traces` (flags, LOKI_* env, profiles).
 * A tool call may name other files, or another window, instead.
 */
export interface StartupSources {
  where: Where;
  /** The start-up window flags (--since/--from/--to): the default when a call names no window. */
  window: WindowFlags;
}

/** A problem the caller can fix (bad argument, unknown trace, unreadable file): an isError result. */
export class ToolError extends Error {}

/** The arguments every reading tool takes besides its own. */
export const sourceArgs = {
  files: z.array(z.string()).optional().describe('log files or globs to read instead of the start-up sources'),
  since: z.string().optional().describe('time window: the last 30m, 2h, 1d… (Loki: the query window; files: traces starting in it)'),
  from: z.string().optional().describe('window start: RFC3339, now-2h, 2h (ago) or unix time'),
  to: z.string().optional().describe('window end (default now)'),
};

export interface SourceArgs {
  files?: string[] | undefined;
  since?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export function startupSources(args: readonly string[], flags: SourceFlags): StartupSources {
  // Standard input carries the protocol, so it never brings logs: LOKI_ADDR alone picks Loki.
  const where = whereToRead(args, flags, true);
  return { where, window: { since: flags.since, from: flags.from, to: flags.to } };
}

/** The call's own files, else the start-up sources. */
export function whereFor(startup: StartupSources, args: SourceArgs): Where {
  if (args.files && args.files.length > 0) return { kind: 'local', args: args.files };
  return startup.where;
}

/** The call's window flags when it names any, else the start-up ones. */
export function windowFlagsFor(startup: StartupSources, args: SourceArgs): WindowFlags {
  if (args.since !== undefined || args.from !== undefined || args.to !== undefined) return { since: args.since, from: args.from, to: args.to };
  return startup.window;
}

/** The window a listing reads: always one for Loki (default the last hour), for files only when asked. */
export function listingWindow(startup: StartupSources, args: SourceArgs, where: Where): TimeWindow | null {
  const flags = windowFlagsFor(startup, args);
  if (where.kind === 'local' && flags.since === undefined && flags.from === undefined && flags.to === undefined) return null;
  return asToolErrors(() => resolveTimeWindow(flags, nowNs()));
}

/** Local files as one FileSource. Standard input carries the protocol, so `-` is refused. */
export async function openFiles(args: readonly string[]): Promise<FileSource> {
  if (args.length === 0) {
    throw new ToolError('no log files: pass `files` (paths or globs) or start the server with sources, e.g. mcp-trace mcp "logs/*.log" or --loki');
  }
  if (args.includes('-')) throw new ToolError("'-' (standard input) cannot be read: it carries the MCP protocol; name files instead");
  const source = await asToolErrorsAsync(() => openLocalSources(args, true));
  // Without '-', openLocalSources gives one FileSource for all the patterns.
  if (!(source instanceof FileSource)) throw new ToolError('name files only');
  return source;
}

export interface OpenedTrace {
  source: LogSource;
  /** The files read, to tell whether a cached read is still current; null for Loki. */
  files: FileSource | null;
  /** Loki: the window searched (for the not-found message). */
  window: TimeWindow | null;
}

/** The source for one trace: the files, or the same Loki query and window as `show`. */
export async function openTraceSource(where: Where, windowFlags: WindowFlags, traceIdArg: string): Promise<OpenedTrace> {
  if (where.kind === 'local') {
    const files = await openFiles(where.args);
    return { source: files, files, window: null };
  }
  // --loki alone or LOKI_ADDR: openLokiTraceSource reads the same connection either way.
  const flags = { ...where.flags, ...windowFlags, loki: where.flags.loki ?? true };
  const loki = await asToolErrorsAsync(() => openLokiTraceSource(traceIdArg, flags, { hasFiles: false, stdinIsTTY: true }));
  return { source: loki!.source, files: null, window: loki!.window };
}

/** Every line of a listing's window: the files, or Loki's lines in the window. */
export async function openListingSource(where: Where, window: TimeWindow | null): Promise<LogSource> {
  if (where.kind === 'local') return openFiles(where.args);
  return lokiWindowSource(where, window!);
}

export function notFoundMessage(traceIdArg: string, opened: OpenedTrace, linesRead: number): string {
  if (opened.window) {
    return `trace ${traceIdArg} not found in ${opened.source.description} ${describeWindow(opened.window)}; widen the window with since: "24h" or from/to, or list trace ids with search_traces`;
  }
  return `trace ${traceIdArg} not found in ${opened.source.description} (${linesRead} lines read); list trace ids with search_traces`;
}

/** A cache key part for the window: the flags as given (a moving "last hour" is bounded by the TTL). */
export function windowKey(flags: WindowFlags): string {
  return `${flags.since ?? ''}|${flags.from ?? ''}|${flags.to ?? ''}`;
}

/**
 * The CLI's parsers word their problems for flags (`--since takes …`); a tool's arguments have
 * no dashes.
 */
export function forArguments(message: string): string {
  return message.replace(/--(since|from|to|selector|service)\b/g, '$1');
}

function asToolErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UserError) throw new ToolError(forArguments(err.message));
    throw err;
  }
}

async function asToolErrorsAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError) throw new ToolError(forArguments(err.message));
    if (err instanceof ToolError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new ToolError(e?.message ?? String(err));
  }
}
