import { analyseTrace } from '../analyse/analyse-trace.js';
import { assembleTrace } from '../assemble/assemble.js';
import { collectTrace } from '../collect/collect-trace.js';
import { traceIdLengthProblem } from '../trace-id.js';
import { UsageError } from '../errors.js';
import type { ScanStats, Span, Trace } from '../types.js';
import { roundMs } from '../render/json.js';
import type { ErrorTails } from './error-tail.js';
import {
  forArguments,
  notFoundMessage,
  openTraceSource,
  ToolError,
  whereFor,
  windowFlagsFor,
  windowKey,
  type SourceArgs,
  type StartupSources,
} from './sources.js';
import { filesFingerprint, LOKI_TTL_MS, TraceCache } from './trace-cache.js';

export { ToolError } from './sources.js';

/** What every tool needs: the start-up sources, the cache of analysed traces, the error tail. */
export interface McpContext {
  startup: StartupSources;
  cache: TraceCache<LoadedTrace>;
  /** The background followers of the start-up sources (and of files a tail_errors call named). */
  tails: ErrorTails;
}

export interface LoadedTrace {
  trace: Trace;
  stats: ScanStats;
}

/**
 * Finds, assembles and skew-corrects one trace exactly as `show` does, from the call's sources;
 * a trace read a moment ago from the same unchanged sources comes from the cache.
 */
export async function loadTrace(ctx: McpContext, traceIdArg: string, args: SourceArgs = {}): Promise<LoadedTrace> {
  const tooLong = traceIdLengthProblem(traceIdArg);
  if (tooLong !== null) throw new ToolError(tooLong);
  const where = whereFor(ctx.startup, args);
  const windowFlags = windowFlagsFor(ctx.startup, args);
  const opened = await openTraceSource(where, windowFlags, traceIdArg);
  const key = opened.files
    ? `files\0${opened.files.paths.join('\0')}\0${traceIdArg}`
    : `loki\0${opened.source.description}\0${where.kind === 'loki' ? (where.flags.selector ?? '') : ''}\0${windowKey(windowFlags)}\0${traceIdArg}`;
  const freshness = opened.files ? await filesFingerprint(opened.files.paths) : { ttlMs: LOKI_TTL_MS };
  return ctx.cache.get(key, freshness, async () => {
    const { traceId: found, records, stats } = await readOrFail(() => collectTrace(opened.source, traceIdArg, {}));
    if (records.length === 0) throw new ToolError(forArguments(notFoundMessage(traceIdArg, opened, stats.linesRead)));
    const trace = analyseTrace(assembleTrace(found, records));
    return { value: { trace, stats }, records: records.length + trace.spans.length };
  });
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

/** Segments of a path kept at most: the root's, then the nearest ancestors'. */
const PATH_HEAD = 1;
const PATH_TAIL = 3;

/**
 * `service:name` for each span from the root down to this one. Deep spans keep the root and the
 * three nearest ancestors (`a:x > … 7 more > b:y > c:z > d:w`): a full path per span would make a
 * deep trace's listing quadratic in size, and `parent` links the rest.
 */
export function pathOf(byId: ReadonlyMap<string, Span>, span: Span): string {
  const chain = ancestors(byId, span).reverse();
  const names = (spans: Span[]) => spans.map((s) => `${s.service}:${s.name}`);
  if (chain.length <= PATH_HEAD + PATH_TAIL + 1) return names(chain).join(' > ');
  const middle = chain.length - PATH_HEAD - PATH_TAIL;
  return [...names(chain.slice(0, PATH_HEAD)), `… ${middle} more`, ...names(chain.slice(-PATH_TAIL))].join(' > ');
}
