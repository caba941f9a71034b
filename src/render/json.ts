import { UNSAFE_CLASS_BODY } from './sanitize.js';
import type { CriticalSection } from '../analyse/critical-path.js';
import type { AnsweredStatus, InferredBy, LogRecord, ScanStats, Span, Structure, Trace, UnattachedError } from '../types.js';
import { spanStatus } from './span-status.js';

/**
 * `show --json`: one object whose names are a public contract (issue 2); later tools and CI
 * parse it. Fields may be added, never renamed or removed.
 */
export interface TraceJson {
  traceId: string;
  /** Unix ns as a decimal string: 19 digits do not survive a JSON number. */
  startUnixNano: string;
  durationMs: number;
  services: string[];
  spanCount: number;
  errorCount: number;
  /** Addition: spans with a 4xx answer or a warn-level line (worth a look, not failures). */
  warningCount: number;
  warnings: string[];
  stats: { linesRead: number; linesMatched: number; malformedLines: number };
  /** Addition: how the tree was built (logged parent ids, inferred, trace id only, mixed). */
  structure: Structure;
  /** Tree order: depth-first, children by start. */
  spans: SpanJson[];
  /** Addition, only with a Grafana configured (--grafana-url): the trace's Explore link. */
  grafanaExploreUrl?: string;
  /**
   * Addition, present only when there are some: errors the trace's services printed in its
   * window without naming a request (a Go panic), that no one span could be given.
   */
  unattachedErrors?: UnattachedErrorJson[];
}

export interface UnattachedErrorJson extends LogJson {
  service: string | null;
  /** Why no span got it (how many of the service's requests were running then). */
  reason: string;
  stack?: string;
}

export interface SpanJson {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  startUnixNano: string;
  durationMs: number;
  depth: number;
  logCount: number;
  error: boolean;
  /** Present only when `error` is true; null when the span failed without a message. */
  errorMessage?: string | null;
  inferredParent: boolean;
  /** Addition, present only when the parent was inferred: from a call line, containment, or start order. */
  inferredBy?: InferredBy;
  placeholder: boolean;
  /** Addition, present only when true: a 4xx answer or a warn-level line, not an error. */
  warning?: true;
  /** Addition, present only when a line says: the HTTP status the span answered with (its latest line with one). */
  httpStatus?: number;
  /** Addition, present only when a line says: the numeric gRPC status code (0 OK … 16). */
  grpcCode?: number;
  /** Addition: the likely origin of the trace's errors. */
  errorOrigin: boolean;
  /** Addition, present only when non-zero: clock-skew shift applied to the span, in ms. */
  skewShiftMs?: number;
  /** Addition, present only when true: the span ended after its parent (the caller gave up). */
  outlivesParent?: true;
  /** Addition, present only when non-zero: the span's time on the trace's critical path, in ms. */
  criticalPathMs?: number;
  /** Addition, only with --logs: the span's lines in time order, with every field they carried. */
  logs?: LogJson[];
}

export interface LogJson {
  /** Unix ns as a decimal string; null for a line without a time. */
  timeUnixNano: string | null;
  level: string | null;
  message: string;
  error?: string;
  /** Every field of the line that is not one of the above or the span's ids, keys flattened with dots. */
  fields: Record<string, unknown>;
  origin: string;
  lineNo: number;
}

export interface JsonOptions {
  /** The critical path (analyse/critical-path.ts), for each span's criticalPathMs. */
  critical?: readonly CriticalSection[];
  /** Include each span's lines. */
  logs?: boolean;
  /** The trace's Grafana Explore link. */
  exploreUrl?: string;
}

export function traceToJson(trace: Trace, stats: ScanStats, options: JsonOptions = {}): TraceJson {
  const criticalMs = new Map<string, number>();
  for (const c of options.critical ?? []) criticalMs.set(c.spanId, (criticalMs.get(c.spanId) ?? 0) + Number(c.endNs - c.startNs) / 1e6);
  return {
    traceId: trace.traceId,
    startUnixNano: trace.startNs.toString(),
    durationMs: roundMs(trace.durationMs),
    services: [...trace.services],
    spanCount: trace.spans.length,
    errorCount: trace.errorCount,
    warningCount: trace.spans.filter((s) => s.warning).length,
    warnings: [...trace.warnings],
    stats: { linesRead: stats.linesRead, linesMatched: stats.linesMatched, malformedLines: stats.malformedLines },
    structure: trace.structure,
    spans: trace.spans.map((s) => spanToJson(s, criticalMs.get(s.spanId) ?? 0, options.logs === true)),
    ...(options.exploreUrl !== undefined ? { grafanaExploreUrl: options.exploreUrl } : {}),
    ...(trace.unattachedErrors?.length ? { unattachedErrors: trace.unattachedErrors.map(unattachedToJson) } : {}),
  };
}

function unattachedToJson({ record, reason }: UnattachedError): UnattachedErrorJson {
  return { service: record.service, reason, ...logToJson(record), ...(record.errorStack ? { stack: record.errorStack } : {}) };
}

function spanToJson(span: Span, criticalMs: number, logs: boolean): SpanJson {
  // Key order follows issue 2's list, so the printed JSON reads in the documented order.
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: span.service,
    name: span.name,
    startUnixNano: span.startNs.toString(),
    durationMs: roundMs(span.durationMs),
    depth: span.depth,
    logCount: span.lineCount,
    error: span.error,
    ...(span.error ? { errorMessage: span.errorMessage } : {}),
    inferredParent: span.inferredParent,
    ...(span.inferredBy !== null ? { inferredBy: span.inferredBy } : {}),
    placeholder: span.placeholder,
    ...(span.warning ? { warning: true as const } : {}),
    ...statusJson(spanStatus(span), 'httpStatus', 'grpcCode'),
    errorOrigin: span.errorOrigin,
    ...(span.skewShiftMs !== 0 ? { skewShiftMs: roundMs(span.skewShiftMs) } : {}),
    ...(span.outlivesParent ? { outlivesParent: true as const } : {}),
    ...(criticalMs > 0 ? { criticalPathMs: roundMs(criticalMs) } : {}),
    ...(logs ? { logs: span.records.map(logToJson) } : {}),
  };
}

/** `{ [httpKey]: 502 }`, `{ [grpcKey]: 14 }` or `{}`: present only when a line said. */
export function statusJson<H extends string, G extends string>(status: AnsweredStatus | null, httpKey: H, grpcKey: G): Partial<Record<H | G, number>> {
  if (status === null) return {};
  return (status.kind === 'http' ? { [httpKey]: status.status } : { [grpcKey]: status.code }) as Partial<Record<H | G, number>>;
}

function logToJson(r: LogRecord): LogJson {
  return {
    timeUnixNano: r.timeNs === null ? null : r.timeNs.toString(),
    level: r.level,
    message: r.message,
    ...(r.error ? { error: r.error } : {}),
    fields: { ...r.attributes },
    origin: r.origin,
    lineNo: r.lineNo,
  };
}

/** Milliseconds with microsecond precision: enough for any log clock, stable in snapshots. */
export function roundMs(ms: number): number {
  const rounded = Math.round(ms * 1000) / 1000;
  return Object.is(rounded, -0) ? 0 : rounded;
}

// Characters JSON.stringify leaves raw that a terminal would act on or that hide in text (C1
// controls, DEL, bidi controls, zero-width characters, line separators, the BOM). Written as
// `\uXXXX` escapes they read back as the same string, so the JSON stays exact.
const TERMINAL_UNSAFE_IN_JSON = new RegExp(`[${UNSAFE_CLASS_BODY.replace('\\u0000-\\u001f', '')}]`, 'g');

/**
 * The text `--json` prints: pretty JSON with terminal-unsafe characters written as `\uXXXX`
 * escapes, so log text in names and messages cannot act on the terminal. One trailing newline.
 */
export function renderJson(trace: Trace, stats: ScanStats, options: JsonOptions = {}): string {
  return stringifyForTerminal(traceToJson(trace, stats, options)) + '\n';
}

export function stringifyForTerminal(value: unknown, indent: number = 2): string {
  return escapeJsonText(JSON.stringify(value, null, indent || undefined));
}

/** JSON text with every terminal-unsafe character that JSON.stringify left raw written as `\uXXXX`. */
export function escapeJsonText(json: string): string {
  return json.replace(TERMINAL_UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
