import { analyseTrace } from '../analyse/analyse-trace.js';
import { assembleTrace } from '../assemble/assemble.js';
import { collectTrace } from '../collect/collect-trace.js';
import { openLocalSources } from '../cli/source-options.js';
import { traceIdLengthProblem } from '../trace-id.js';
import { UsageError } from '../errors.js';
import type { LogSource } from '../sources/source.js';
import type { ScanStats, Span, Trace } from '../types.js';
import { roundMs } from '../render/json.js';


/** What every tool needs: the sources named at start-up, used when a call names none. */
export interface McpContext {
  defaultSources: readonly string[];
}

/** A problem the caller can fix (bad argument, unknown trace, unreadable file): an isError result. */
export class ToolError extends Error {}

/**
 * The files a call reads: its own `files`, else the start-up sources. Standard input carries the
 * protocol, so `-` (and reading stdin by default) is refused.
 */
export async function openSources(ctx: McpContext, files: readonly string[] | undefined): Promise<LogSource> {
  const args = files && files.length > 0 ? files : ctx.defaultSources;
  if (args.length === 0) throw new ToolError('no log files: pass `files` (paths or globs) or start the server with sources, e.g. mcp-trace mcp "logs/*.log"');
  if (args.includes('-')) throw new ToolError("'-' (standard input) cannot be read: it carries the MCP protocol; name files instead");
  try {
    return await openLocalSources(args, true);
  } catch (err) {
    throw new ToolError(err instanceof Error ? err.message : String(err));
  }
}

export interface LoadedTrace {
  trace: Trace;
  stats: ScanStats;
}

/** Finds, assembles and skew-corrects one trace exactly as `show` does. */
export async function loadTrace(ctx: McpContext, traceIdArg: string, files?: readonly string[]): Promise<LoadedTrace> {
  const tooLong = traceIdLengthProblem(traceIdArg);
  if (tooLong !== null) throw new ToolError(tooLong);
  const source = await openSources(ctx, files);
  const { traceId: found, records, stats } = await readOrFail(() => collectTrace(source, traceIdArg, {}));
  if (records.length === 0) {
    throw new ToolError(
      `trace ${traceIdArg} not found in ${source.description} (${stats.linesRead} lines read); list trace ids with search_traces`,
    );
  }
  const trace = analyseTrace(assembleTrace(found, records));
  return { trace, stats };
}

/** Runs a read, turning source failures (unreadable file, bad gzip) into a ToolError. */
export async function readOrFail<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ToolError) throw err;
    // An ambiguous short id: the message lists the candidates, it is no read failure.
    if (err instanceof UsageError) throw new ToolError(err.message);
    const e = err as NodeJS.ErrnoException;
    throw new ToolError(`cannot read the logs: ${e?.message ?? String(err)}`);
  }
}

/** ms from the trace's start, rounded to µs. */
export function offsetMs(trace: Trace, ns: bigint): number {
  return roundMs(Number(ns - trace.startNs) / 1e6);
}

/** A nanosecond timestamp as RFC 3339 with milliseconds; the raw number beyond a Date's range. */
export function isoTime(ns: bigint): string {
  const date = new Date(Number(ns / 1_000_000n));
  return Number.isNaN(date.getTime()) ? `${ns}ns` : date.toISOString();
}

/** The span, its parent, … up to the root (the span first); safe on a cycle. */
export function ancestors(byId: ReadonlyMap<string, Span>, span: Span): Span[] {
  const out: Span[] = [];
  const seen = new Set<string>();
  let cur: Span | undefined = span;
  while (cur && !seen.has(cur.spanId)) {
    seen.add(cur.spanId);
    out.push(cur);
    cur = cur.parentSpanId === null ? undefined : byId.get(cur.parentSpanId);
  }
  return out;
}

/** The spans by id, built once per call rather than once per span. */
export function spansById(trace: Trace): Map<string, Span> {
  return new Map(trace.spans.map((s) => [s.spanId, s]));
}

/** `service:name` for each span from the root down to this one. */
export function pathOf(byId: ReadonlyMap<string, Span>, span: Span): string {
  return ancestors(byId, span)
    .reverse()
    .map((s) => `${s.service}:${s.name}`)
    .join(' > ');
}
