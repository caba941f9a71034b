import type { LogRecord, Span, Trace } from '../types.js';
import { hexSpanId, hexTraceId, ORIGINAL_ID_KEYS } from './export-ids.js';
import { exportKind, spansById } from './span-kind.js';
import { spanStatus } from './span-status.js';

interface JaegerTag {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64';
  value: string | boolean | number;
}

/**
 * `show --format jaeger`: the JSON that Jaeger UI's "upload JSON" (and its API) use. Times are
 * whole microseconds: start and end are both floored, so the end survives too.
 */
export function toJaeger(trace: Trace): object {
  const traceID = hexTraceId(trace.traceId);
  const processIds = new Map<string, string>();
  const processes: Record<string, { serviceName: string; tags: JaegerTag[] }> = {};
  const byId = spansById(trace);
  const spans = trace.spans.map((span) => {
    const key = JSON.stringify([span.service, span.host]);
    let processID = processIds.get(key);
    if (!processID) {
      processID = `p${processIds.size + 1}`;
      processIds.set(key, processID);
      processes[processID] = { serviceName: span.service, tags: span.host === null ? [] : [tag('hostname', span.host)] };
    }
    return jaegerSpan(span, trace, traceID, processID, byId);
  });
  return { data: [{ traceID, spans, processes, warnings: null }] };
}

function jaegerSpan(span: Span, trace: Trace, traceID: string, processID: string, byId: ReadonlyMap<string, Span>): object {
  const startUs = micros(span.startNs);
  return {
    traceID,
    spanID: hexSpanId(span.spanId),
    flags: 1,
    operationName: span.name,
    references: span.parentSpanId === null ? [] : [{ refType: 'CHILD_OF', traceID, spanID: hexSpanId(span.parentSpanId) }],
    startTime: startUs,
    duration: Math.max(0, micros(span.endNs) - startUs),
    tags: spanTags(span, trace, byId),
    logs: span.records.map((r) => jaegerLog(r, span)),
    processID,
    warnings: null,
  };
}

function spanTags(span: Span, trace: Trace, byId: ReadonlyMap<string, Span>): JaegerTag[] {
  const tags: JaegerTag[] = [];
  const kind = exportKind(span, trace, byId);
  if (kind) tags.push(tag('span.kind', kind));
  const status = spanStatus(span);
  if (span.error) {
    tags.push(tag('error', true), tag('otel.status_code', 'ERROR'));
    if (span.errorMessage !== null) tags.push(tag('otel.status_description', span.errorMessage));
  }
  if (span.http?.method) tags.push(tag('http.method', span.http.method));
  if (span.http?.route) tags.push(tag('http.route', span.http.route));
  if (status?.kind === 'http') tags.push(tag('http.status_code', status.status));
  if (span.grpc?.service) tags.push(tag('rpc.service', span.grpc.service));
  if (span.grpc?.method) tags.push(tag('rpc.method', span.grpc.method));
  if (status?.kind === 'grpc') tags.push(tag('rpc.grpc.status_code', status.code));
  if (hexTraceId(trace.traceId) !== trace.traceId) tags.push(tag(ORIGINAL_ID_KEYS.trace, trace.traceId));
  if (hexSpanId(span.spanId) !== span.spanId) tags.push(tag(ORIGINAL_ID_KEYS.span, span.spanId));
  if (span.parentSpanId !== null && hexSpanId(span.parentSpanId) !== span.parentSpanId) {
    tags.push(tag(ORIGINAL_ID_KEYS.parent, span.parentSpanId));
  }
  if (span.inferredParent) tags.push(tag('mcp_trace.inferred_parent', true));
  if (span.placeholder) tags.push(tag('mcp_trace.placeholder', true));
  if (span.skewShiftMs !== 0) tags.push(tag('mcp_trace.skew_shift_ms', span.skewShiftMs));
  if (span.outlivesParent) tags.push(tag('mcp_trace.outlives_parent', true));
  return tags;
}

function jaegerLog(record: LogRecord, span: Span): object {
  const fields: JaegerTag[] = [tag('message', record.message)];
  if (record.level) fields.push(tag('level', record.level));
  if (record.error !== null) fields.push(tag('error', record.error));
  if (record.errorStack) fields.push(tag('stack', record.errorStack));
  for (const [key, value] of Object.entries(record.attributes)) fields.push(tag(key, value));
  return { timestamp: micros(record.timeNs ?? span.startNs), fields };
}

/** A Jaeger tag; objects and arrays become JSON text, since Jaeger tags are flat. */
function tag(key: string, value: unknown): JaegerTag {
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? { key, type: 'int64', value } : { key, type: 'float64', value };
  }
  if (typeof value === 'bigint') return { key, type: 'int64', value: Number(value) };
  if (typeof value === 'string') return { key, type: 'string', value };
  return { key, type: 'string', value: JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? '' };
}

function micros(ns: bigint): number {
  // Floor, also before the epoch, so start and end round the same way.
  const q = ns / 1000n;
  return Number(ns < 0n && q * 1000n !== ns ? q - 1n : q);
}
