import type { LogRecord, Span, SpanKind, Trace } from '../types.js';
import { hexSpanId, hexTraceId, ORIGINAL_ID_KEYS } from './export-ids.js';
import { exportKind, spansById } from './span-kind.js';
import { spanStatus } from './span-status.js';

/** OTLP span kinds (1 internal … 5 consumer); 0 is "unspecified". */
const OTLP_KIND: Record<SpanKind, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } }
  | Record<string, never>;

interface KeyValue {
  key: string;
  value: AnyValue;
}

/**
 * `show --format otlp`: OTLP/JSON TracesData, which the Collector, Jaeger, Tempo and otel-tui
 * accept. One resourceSpans per service (and host, when lines name one), ids as lowercase hex,
 * 64-bit times as decimal strings, the span's log lines as its events.
 */
export function toOtlp(trace: Trace): object {
  const traceId = hexTraceId(trace.traceId);
  const groups = new Map<string, { service: string; host: string | null; spans: object[] }>();
  const byId = spansById(trace);
  for (const span of trace.spans) {
    const key = JSON.stringify([span.service, span.host]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { service: span.service, host: span.host, spans: [] }));
    group.spans.push(otlpSpan(span, trace, traceId, byId));
  }
  return {
    resourceSpans: [...groups.values()].map((g) => {
      const attributes: KeyValue[] = [kv('service.name', g.service)];
      if (g.host !== null) attributes.push(kv('host.name', g.host));
      return { resource: { attributes }, scopeSpans: [{ scope: { name: 'mcp-trace' }, spans: g.spans }] };
    }),
  };
}

function otlpSpan(span: Span, trace: Trace, traceId: string, byId: ReadonlyMap<string, Span>): object {
  const attributes: KeyValue[] = [];
  const kind = exportKind(span, trace, byId);
  if (span.http?.method) attributes.push(kv('http.request.method', span.http.method));
  if (span.http?.route) attributes.push(kv('http.route', span.http.route));
  const status = spanStatus(span);
  if (status?.kind === 'http') attributes.push(kv('http.response.status_code', status.status));
  if (span.grpc?.service) attributes.push(kv('rpc.service', span.grpc.service));
  if (span.grpc?.method) attributes.push(kv('rpc.method', span.grpc.method));
  if (status?.kind === 'grpc') attributes.push(kv('rpc.grpc.status_code', status.code));
  for (const a of markerAttributes(span, trace)) attributes.push(a);
  return {
    traceId,
    spanId: hexSpanId(span.spanId),
    parentSpanId: span.parentSpanId === null ? '' : hexSpanId(span.parentSpanId),
    name: span.name,
    kind: kind ? OTLP_KIND[kind] : 0,
    startTimeUnixNano: span.startNs.toString(),
    endTimeUnixNano: span.endNs.toString(),
    attributes,
    events: span.records.map((r) => otlpEvent(r, span)),
    status: span.error ? { code: STATUS_ERROR, message: span.errorMessage ?? '' } : { code: STATUS_UNSET },
  };
}

/** What only mcp-trace knows about a span, plus the ids as logged when export had to map them. */
function markerAttributes(span: Span, trace: Trace): KeyValue[] {
  const out: KeyValue[] = [];
  if (hexTraceId(trace.traceId) !== trace.traceId) out.push(kv(ORIGINAL_ID_KEYS.trace, trace.traceId));
  if (hexSpanId(span.spanId) !== span.spanId) out.push(kv(ORIGINAL_ID_KEYS.span, span.spanId));
  if (span.parentSpanId !== null && hexSpanId(span.parentSpanId) !== span.parentSpanId) {
    out.push(kv(ORIGINAL_ID_KEYS.parent, span.parentSpanId));
  }
  if (span.inferredParent) out.push(kv('mcp_trace.inferred_parent', true));
  if (span.placeholder) out.push(kv('mcp_trace.placeholder', true));
  if (span.skewShiftMs !== 0) out.push(kv('mcp_trace.skew_shift_ms', span.skewShiftMs));
  if (span.outlivesParent) out.push(kv('mcp_trace.outlives_parent', true));
  return out;
}

function otlpEvent(record: LogRecord, span: Span): object {
  const attributes: KeyValue[] = [];
  if (record.level) attributes.push(kv('log.severity', record.level));
  if (record.error !== null) attributes.push(kv('exception.message', record.error));
  if (record.errorStack) attributes.push(kv('exception.stacktrace', record.errorStack));
  for (const [key, value] of Object.entries(record.attributes)) attributes.push(kv(key, value));
  return {
    timeUnixNano: (record.timeNs ?? span.startNs).toString(),
    name: record.message,
    attributes,
  };
}

function kv(key: string, value: unknown): KeyValue {
  return { key, value: anyValue(value) };
}

/** A JSON value as an OTLP AnyValue; depth is bounded by the log line it came from. */
function anyValue(v: unknown): AnyValue {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
    case 'object':
      if (v === null) return {};
      if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
      return { kvlistValue: { values: Object.entries(v).map(([key, x]) => kv(key, x)) } };
    default:
      return {};
  }
}
