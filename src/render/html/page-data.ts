import { criticalPathShares, criticalSectionsBySpan, type CriticalSection } from '../../analyse/critical-path.js';
import { grpcCodeName } from '../../normalise/grpc-codes.js';
import type { LogRecord, Span, Trace } from '../../types.js';
import { formatDuration, formatOffset, formatShift } from '../duration.js';
import { serviceColourCss } from '../palette.js';
import { sanitize } from '../sanitize.js';
import { spanStatus } from '../span-status.js';

/**
 * What the HTML page is given about a trace: every text already sanitised (control, bidi and
 * invisible characters shown as escapes, as in the terminal) and every figure already formatted,
 * so the page's script only lays out and never interprets log text. The page puts these strings
 * into the document as text nodes only.
 */
export interface PageData {
  traceId: string;
  duration: string;
  durationMs: number;
  /** The trace's start, ISO 8601 UTC. */
  start: string;
  errorCount: number;
  services: { name: string; colour: string }[];
  warnings: string[];
  /** Labels of the time axis at 0, ¼, ½, ¾ and the end. */
  ticks: string[];
  /** Tree order (depth-first, children by start), as `show` draws them. */
  spans: PageSpan[];
}

export interface PageSpan {
  id: string;
  /** Index of the parent in `spans`, -1 for a root. */
  parent: number;
  depth: number;
  /** Index into `services`. */
  service: number;
  name: string;
  /** From the trace start and of the trace's duration, 0..1, for the bar. */
  left: number;
  width: number;
  offset: string;
  duration: string;
  /** The answer: `503`, `grpc UNAVAILABLE`, or ''. */
  status: string;
  error: boolean;
  errorMessage: string;
  warning: boolean;
  errorOrigin: boolean;
  /** Time on the critical path ('' when none) and its share of the trace. */
  critical: string;
  criticalShare: number;
  /** The stretches on the critical path, as [left, width] fractions of the trace. */
  criticalSections: [number, number][];
  /** '' for a logged parent, else how it was inferred: call, containment, order. */
  inferredBy: string;
  placeholder: boolean;
  kind: string;
  host: string;
  /** `−750ms` when a clock-skew shift moved the span, else ''. */
  skew: string;
  outlivesParent: boolean;
  logs: PageLog[];
}

export interface PageLog {
  offset: string;
  level: string;
  message: string;
  error: string;
  /** The stack, one sanitised line per entry. */
  stack: string[];
  /** `[key, value]`, values as logged (JSON for non-strings). */
  fields: [string, string][];
  source: string;
}

export function pageData(trace: Trace, critical: readonly CriticalSection[]): PageData {
  const services = trace.services.map((name) => ({ name: sanitize(name), colour: serviceColourCss(name) }));
  const serviceIndex = new Map(trace.services.map((name, i) => [name, i]));
  const indexOf = new Map(trace.spans.map((s, i) => [s.spanId, i]));
  const shares = new Map(criticalPathShares(trace, critical).map((c) => [c.spanId, c]));
  const sections = criticalSectionsBySpan(critical);
  const total = trace.durationMs > 0 ? trace.durationMs : 1;
  const fraction = (ns: bigint): number => clamp01(Number(ns - trace.startNs) / 1e6 / total);
  const spans = trace.spans.map((span): PageSpan => {
    const offsetMs = Number(span.startNs - trace.startNs) / 1e6;
    const share = shares.get(span.spanId);
    let service = serviceIndex.get(span.service);
    if (service === undefined) {
      service = services.push({ name: sanitize(span.service), colour: serviceColourCss(span.service) }) - 1;
      serviceIndex.set(span.service, service);
    }
    return {
      id: sanitize(span.spanId),
      parent: span.parentSpanId === null ? -1 : (indexOf.get(span.parentSpanId) ?? -1),
      depth: span.depth,
      service,
      name: sanitize(span.name),
      left: clamp01(offsetMs / total),
      width: clamp01(span.durationMs / total),
      offset: formatOffset(offsetMs),
      duration: span.placeholder ? '' : formatDuration(span.durationMs),
      status: statusText(span),
      error: span.error,
      errorMessage: span.errorMessage === null ? '' : sanitize(span.errorMessage),
      warning: span.warning,
      errorOrigin: span.errorOrigin,
      critical: share && share.criticalMs > 0 ? formatDuration(share.criticalMs) : '',
      criticalShare: share?.share ?? 0,
      criticalSections: (sections.get(span.spanId) ?? []).map(([from, to]) => [fraction(from), fraction(to) - fraction(from)]),
      inferredBy: span.inferredParent ? (span.inferredBy ?? 'inferred') : '',
      placeholder: span.placeholder,
      kind: span.kind ?? '',
      host: span.host === null ? '' : sanitize(span.host),
      skew: span.skewShiftMs !== 0 ? formatShift(span.skewShiftMs) : '',
      outlivesParent: span.outlivesParent,
      logs: span.records.map((r) => pageLog(r, trace)),
    };
  });
  return {
    traceId: sanitize(trace.traceId),
    duration: formatDuration(trace.durationMs),
    durationMs: trace.durationMs,
    start: isoTime(trace.startNs),
    errorCount: trace.errorCount,
    services,
    warnings: trace.warnings.map(sanitize),
    ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => formatDuration(trace.durationMs * f)),
    spans,
  };
}

function pageLog(record: LogRecord, trace: Trace): PageLog {
  const fields: [string, string][] = [];
  if (record.http?.status !== undefined) fields.push(['status', String(record.http.status)]);
  if (record.grpc?.code !== undefined) fields.push(['grpc_code', String(record.grpc.code)]);
  if (record.durationMs !== null) fields.push(['duration', formatDuration(record.durationMs)]);
  for (const [key, value] of Object.entries(record.attributes)) fields.push([sanitize(key), sanitize(valueText(value))]);
  return {
    offset: record.timeNs === null ? '?' : formatOffset(Number(record.timeNs - trace.startNs) / 1e6),
    level: record.level ?? '',
    message: sanitize(record.message),
    error: record.error ? sanitize(record.error) : '',
    stack: record.errorStack ? record.errorStack.split(/\r?\n/).map(sanitize) : [],
    fields,
    source: `${sanitize(record.origin)}:${record.lineNo}`,
  };
}

function statusText(span: Span): string {
  const status = spanStatus(span);
  if (status === null) return '';
  return status.kind === 'http' ? String(status.status) : `grpc ${grpcCodeName(status.code) ?? status.code}`;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function isoTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : '';
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
