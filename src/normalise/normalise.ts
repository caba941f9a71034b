import type { LogRecord, RawLine } from '../types.js';
import { canonicalTraceId, canonicalSpanId } from '../trace-id.js';

// FIRST CUT (pino/zap only) so that `show` can be wired up; the table-driven version replaces it.

/** User overrides for in-house formats; a dotted name looks up the flat key first, then the nested path. */
export interface NormaliseOptions {
  traceField?: string;
  spanField?: string;
  parentField?: string;
  serviceField?: string;
}

/** One raw line → its records (usually one); null when the line is not a JSON object. */
export function normaliseLine(raw: RawLine, options: NormaliseOptions = {}): LogRecord[] | null {
  let text = raw.text;
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.indexOf('\0') >= 0) return null;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return null;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const o = { ...(obj as Record<string, unknown>) };
  const take = (...keys: (string | undefined)[]): unknown => {
    for (const k of keys) if (k !== undefined && k in o) { const v = o[k]; delete o[k]; return v; }
    return undefined;
  };
  const t = take('time', 'ts', 'timestamp');
  let timeNs: bigint | null = raw.timeNs ?? null;
  if (typeof t === 'number') timeNs = t < 1e11 ? BigInt(Math.round(t * 1e6)) * 1000n : BigInt(Math.round(t)) * 1_000_000n;
  else if (typeof t === 'string' && !Number.isNaN(Date.parse(t))) timeNs = BigInt(Date.parse(t)) * 1_000_000n;
  const lv = take('level');
  const level = typeof lv === 'number'
    ? (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.min(5, Math.max(0, Math.floor(lv / 10) - 1))]
    : typeof lv === 'string' ? ((({ warning: 'warn', dpanic: 'error', panic: 'fatal' }) as Record<string, string>)[lv.toLowerCase()] ?? lv.toLowerCase()) as LogRecord['level'] : null;
  const tid = take(options.traceField, 'trace_id', 'traceId', 'traceID');
  const sid = take(options.spanField, 'span_id', 'spanId', 'spanID');
  const pid = take(options.parentField, 'parent_span_id', 'parentSpanId', 'parentId');
  const svc = take(options.serviceField, 'service', 'service.name');
  const err = take('error', 'err');
  const dms = take('duration_ms');
  const lat = take('latency');
  const traceId = typeof tid === 'string' ? canonicalTraceId(tid) || null : null;
  return [{
    timeNs,
    level,
    message: String(take('msg', 'message') ?? ''),
    service: typeof svc === 'string' ? svc : raw.labels?.service_name ?? null,
    traceId,
    spanId: canonicalSpanId(sid),
    parentSpanId: canonicalSpanId(pid),
    durationMs: typeof dms === 'number' ? dms : typeof lat === 'number' ? lat * 1000 : null,
    error: typeof err === 'string' && err !== '' ? err : err && typeof err === 'object' ? String((err as { message?: unknown }).message ?? 'error') : null,
    spanName: typeof o.span_name === 'string' ? o.span_name : null,
    host: typeof o.hostname === 'string' ? o.hostname : null,
    attributes: o,
    origin: raw.origin,
    lineNo: raw.lineNo,
  }];
}
