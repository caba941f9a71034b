// Jaeger UI JSON documents (`Download JSON` / the query API):
//   {"data":[{"traceID","spans":[{traceID,spanID,operationName,references,startTime µs,duration µs,
//     tags:[{key,type,value}],logs:[{timestamp µs,fields:[…]}],processID}],"processes":{p1:{serviceName,tags}}}]}
// One record per span (CHILD_OF reference = parent, `error=true` tag = error) and one per span log.
import type { LogRecord } from '../types.js';
import { buildRecord, type BuildContext } from './build-record.js';
import { inheritSpan } from './otlp.js';
import { unmark } from './key-trie.js';
import type { Producer } from './producers.js';

type Obj = Record<string, unknown>;

const JAEGER_PRODUCER: Producer = { name: 'jaeger', all: [], durationUnit: 'us' };

export function isJaegerDocument(doc: Obj): boolean {
  const data = doc.data;
  return Array.isArray(data) && data.length > 0 && data.every((t) => t !== null && typeof t === 'object' && Array.isArray((t as Obj).spans));
}

export function jaegerRecords(doc: Obj, ctx: BuildContext): LogRecord[] {
  const out: LogRecord[] = [];
  for (const trace of doc.data as Obj[]) {
    const processes = (trace.processes ?? {}) as Record<string, Obj>;
    for (const span of trace.spans as Obj[]) {
      if (span === null || typeof span !== 'object') continue;
      for (const r of spanRecords(span, processes[String(span.processID)], ctx)) out.push(r);
    }
  }
  return out;
}

function spanRecords(span: Obj, process: Obj | undefined, ctx: BuildContext): LogRecord[] {
  const ids: Obj = { traceId: padHex(span.traceID), spanId: padHex(span.spanID), parentSpanId: padHex(parentOf(span)) };
  const processTags = tags(process?.tags);
  const service = process?.serviceName;
  const o: Obj = { ...tags(span.tags), ...ids, span_name: span.operationName, 'service.name': service };
  if (o.hostname === undefined && typeof processTags.hostname === 'string') o.hostname = processTags.hostname;
  const rec = buildRecord(o, { ...ctx, producer: JAEGER_PRODUCER });
  const start = micros(span.startTime);
  rec.timeNs = start ?? rec.timeNs;
  if (typeof span.duration === 'number') rec.durationMs = span.duration / 1000;
  if (start !== null && rec.durationMs !== null) rec.isSpanRecord = true;
  if (typeof span.operationName === 'string') rec.message = span.operationName;

  const logs = (Array.isArray(span.logs) ? span.logs : []).map((log: Obj) => {
    const fields = tags(log?.fields);
    const r = buildRecord({ ...fields, ...ids, 'service.name': service }, { ...ctx, producer: JAEGER_PRODUCER });
    r.timeNs = micros(log?.timestamp) ?? r.timeNs;
    if (fields.event === 'error' && r.error === null) r.error = errorText(fields) ?? 'error';
    inheritSpan(r, rec);
    r.level ??= r.error !== null ? 'error' : 'info';
    return r;
  });

  if (rec.error !== null) {
    // The `error=true` tag says only that it failed; the why is in an error log or the status tag.
    const status = o['otel.status_description'];
    const fromLog = logs.find((l) => l.error !== null)?.error;
    rec.error = typeof status === 'string' && status !== '' ? status : fromLog ?? rec.error;
  }
  rec.level ??= rec.error !== null ? 'error' : 'info';
  return [rec, ...logs];
}

function parentOf(span: Obj): unknown {
  const refs = Array.isArray(span.references) ? (span.references as Obj[]) : [];
  const ref = refs.find((r) => r?.refType === 'CHILD_OF') ?? refs.find((r) => r?.refType === 'FOLLOWS_FROM');
  return ref?.spanID ?? span.parentSpanID;
}

function errorText(fields: Obj): string | null {
  for (const k of ['error.object', 'error.message', 'message', 'error.kind']) {
    const v = fields[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/** Jaeger drops leading zeros from hex ids; pad back to 16 or 32 so they match the logs. */
function padHex(v: unknown): unknown {
  if (typeof v !== 'string' || v === '' || v.length >= 32 || !/^[0-9a-fA-F]+$/.test(v)) return v;
  return v.padStart(v.length <= 16 ? 16 : 32, '0');
}

function micros(raw: unknown): bigint | null {
  const v = unmark(raw);
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return BigInt(Math.round(v)) * 1000n;
  if (typeof v === 'bigint' && v > 0n) return v * 1000n;
  return null;
}

function tags(list: unknown): Obj {
  const out: Obj = {};
  if (!Array.isArray(list)) return out;
  for (const t of list as Obj[]) if (t && typeof t.key === 'string') out[t.key] = t.value;
  return out;
}
