// OTLP/JSON documents (the OTel file exporter / collector `file` exporter output):
//   `resourceLogs`  → one record per log record, resource attributes (service.name…) copied down;
//   `resourceSpans` → one record per span (time = start, duration = end − start, kind, status),
//                     plus one record per span event at the event's time (exception events carry
//                     the error message and stack).
// Each record is built by the generic builder from a flat object, so attribute keys
// (`http.response.status_code`, `rpc.grpc.status_code`…) are read by the same alias table.
import type { LogRecord } from '../types.js';
import { keyValues } from './any-value.js';
import { buildRecord, type BuildContext } from './build-record.js';
import { spanKindOf } from './read-protocol.js';
import { unmark } from './key-trie.js';
import { OTLP_PRODUCER } from './producers.js';
import { parseTime } from './time.js';

type Obj = Record<string, unknown>;

export function otlpLogRecords(doc: Obj, ctx: BuildContext): LogRecord[] {
  const out: LogRecord[] = [];
  for (const rl of list(doc.resourceLogs)) {
    const resource = keyValues((rl.resource as Obj | undefined)?.attributes);
    for (const sl of list(rl.scopeLogs ?? rl.instrumentationLibraryLogs)) {
      const scope = scopeName(sl);
      for (const lr of list(sl.logRecords)) {
        const o: Obj = keyValues(lr.attributes);
        copy(lr, o, ['timeUnixNano', 'observedTimeUnixNano', 'severityNumber', 'severityText', 'body', 'traceId', 'spanId', 'eventName']);
        o.resource = resource;
        if (scope) o['otel.scope.name'] = scope;
        out.push(buildRecord(o, { ...ctx, producer: OTLP_PRODUCER }));
      }
    }
  }
  return out;
}

const STATUS_ERROR = 2;

export function otlpSpanRecords(doc: Obj, ctx: BuildContext): LogRecord[] {
  const out: LogRecord[] = [];
  for (const rs of list(doc.resourceSpans)) {
    const resource = keyValues((rs.resource as Obj | undefined)?.attributes);
    for (const ss of list(rs.scopeSpans ?? rs.instrumentationLibrarySpans)) {
      const scope = scopeName(ss);
      for (const span of list(ss.spans)) for (const r of spanRecords(span, resource, scope, ctx)) out.push(r);
    }
  }
  return out;
}

function spanRecords(span: Obj, resource: Obj, scope: string | null, ctx: BuildContext): LogRecord[] {
  const ids = { traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId };
  const o: Obj = { ...keyValues(span.attributes), ...ids, resource };
  if (scope) o['otel.scope.name'] = scope;
  const rec = buildRecord(o, { ...ctx, producer: OTLP_PRODUCER });
  const start = parseTime(unmark(span.startTimeUnixNano));
  const end = parseTime(unmark(span.endTimeUnixNano));
  const name = typeof span.name === 'string' && span.name !== '' ? span.name : null;
  rec.timeNs = start ?? rec.timeNs;
  rec.durationMs = start !== null && end !== null && end >= start ? Number(end - start) / 1e6 : rec.durationMs;
  if (start !== null && rec.durationMs !== null) rec.isSpanRecord = true;
  rec.spanName = name ?? rec.spanName;
  rec.message = name ?? rec.message;
  const kind = spanKindOf(span.kind, true);
  if (kind) rec.spanKind = kind;

  const events = list(span.events).map((ev) => {
    const e: Obj = { ...keyValues(ev.attributes), ...ids, resource, timeUnixNano: unmark(ev.timeUnixNano), body: ev.name };
    const r = buildRecord(e, { ...ctx, producer: OTLP_PRODUCER });
    inheritSpan(r, rec);
    r.level ??= r.error !== null ? 'error' : 'info';
    return r;
  });

  const status = (span.status ?? {}) as Obj;
  if (status.code === STATUS_ERROR || status.code === 'STATUS_CODE_ERROR') {
    const described = typeof status.message === 'string' && status.message !== '' ? status.message : null;
    const fromEvent = events.find((e) => e.error !== null);
    rec.error = described ?? fromEvent?.error ?? rec.error ?? 'error';
    if (rec.errorStack === undefined && fromEvent?.errorStack !== undefined) rec.errorStack = fromEvent.errorStack;
  }
  rec.level ??= rec.error !== null ? 'error' : 'info';
  return [rec, ...events];
}

/** Event/log records of a span carry the span's identity so assembly files them under it. */
export function inheritSpan(r: LogRecord, span: LogRecord): void {
  r.service ??= span.service;
  r.parentSpanId ??= span.parentSpanId;
  r.spanName ??= span.spanName;
  r.host ??= span.host;
  if (span.spanKind) r.spanKind ??= span.spanKind;
}

function scopeName(s: Obj): string | null {
  const scope = (s.scope ?? s.instrumentationLibrary) as Obj | undefined;
  return typeof scope?.name === 'string' && scope.name !== '' ? scope.name : null;
}

function copy(from: Obj, to: Obj, keys: string[]): void {
  for (const k of keys) if (from[k] !== undefined) to[k] = from[k];
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object') as Obj[]) : [];
}
