import { selfTimeMs } from '../analyse/self-time.js';
import { formatDuration, formatOffset, formatShift } from '../render/duration.js';
import { levelWord } from '../render/level-word.js';
import type { Paint, Painter } from '../render/palette.js';
import { recordOffset } from '../render/span-log-lines.js';
import { exportKind, spansById } from '../render/span-kind.js';
import { spanStatus } from '../render/span-status.js';
import { sanitize } from '../render/sanitize.js';
import { wrapToWidth } from '../render/text-width.js';
import type { LogRecord, Span } from '../types.js';
import type { TraceModel } from './trace-model.js';

const HOW_INFERRED: Record<NonNullable<Span['inferredBy']>, string> = {
  call: 'inferred: a line of the parent calls this service',
  containment: "inferred: the span lies inside the parent's interval",
  order: 'inferred: only from the order in which spans started',
};

/** Text and the style its lines take; wrapped to the pane's width before styling. */
interface Para {
  text: string;
  paint?: Paint;
  /** Indent of the lines it wraps onto. */
  indent?: string;
}

// The details of one span at one width: a span with thousands of lines is laid out once, not per frame.
let last: { model: TraceModel; index: number; width: number; colour: boolean; lines: string[] } | undefined;
const byIdOf = new WeakMap<TraceModel, Map<string, Span>>();

/**
 * The details pane of a span: what it is (service, name, kind, ids, how its parent was found),
 * its timing (start offset, duration, self time, critical-path share), how it ended (status,
 * error, skew), then each of its log lines with every field and its stack trace. Every string
 * from a log is sanitised; no line is wider than `width`.
 */
export function spanDetails(model: TraceModel, index: number, width: number, paint: Painter): string[] {
  if (last && last.model === model && last.index === index && last.width === width && last.colour === paint.color) return last.lines;
  const lines: string[] = [];
  for (const para of detailParas(model, index, paint)) {
    for (const line of wrapToWidth(para.text, Math.max(1, width), para.indent ?? '    ')) lines.push(para.paint ? para.paint(line) : line);
  }
  last = { model, index, width, colour: paint.color, lines };
  return lines;
}

function detailParas(model: TraceModel, index: number, paint: Painter): Para[] {
  const span = model.spans[index]!;
  const { trace } = model;
  let byId = byIdOf.get(model);
  if (!byId) byIdOf.set(model, (byId = spansById(trace)));
  const kind = exportKind(span, trace, byId);
  const parent = model.parent[index]! >= 0 ? model.spans[model.parent[index]!]! : undefined;
  const paras: Para[] = [
    { text: `${sanitize(span.service)} ${sanitize(span.name)}`, paint: paint.bold },
    { text: `kind ${kind ?? 'unknown'}${span.kind ? '' : kind ? ' (guessed: not logged)' : ''} · span ${sanitize(span.spanId)}${span.placeholder ? ' · never logged' : ''}` },
    { text: parentText(span, parent) },
    { text: timingText(model, span) },
    statusPara(span, paint),
  ];
  if (span.skewShiftMs !== 0) paras.push({ text: `clock skew: shifted ${formatShift(span.skewShiftMs)} to sit inside its parent`, paint: paint.yellow });
  if (span.outlivesParent) paras.push({ text: 'outlived its caller: it ended after its parent did', paint: paint.yellow });
  if (span.host) paras.push({ text: `host ${sanitize(span.host)}` });
  paras.push({ text: '' });
  if (span.records.length === 0) {
    paras.push({ text: span.placeholder ? 'no lines: this span is only named as a parent' : 'no lines kept for this span', paint: paint.dim });
    return paras;
  }
  paras.push({ text: `lines (${span.records.length}):`, paint: paint.bold });
  for (const record of span.records) {
    const where = record.lineNo > 0 ? `${record.origin}:${record.lineNo}` : record.origin;
    paras.push({
      text: `${recordOffset(record, trace)} ${levelWord(record.level)} ${sanitize(record.message)}  ${sanitize(where)}`,
      paint: record.level === 'error' || record.level === 'fatal' ? paint.red : undefined,
      indent: '      ',
    });
    for (const [key, value] of fieldEntries(record)) paras.push({ text: `    ${key}=${value}`, paint: key === 'error' ? paint.red : paint.dim, indent: '      ' });
    if (record.errorStack) {
      for (const line of record.errorStack.split(/\r?\n/)) paras.push({ text: `    ${sanitize(line)}`, paint: paint.red, indent: '      ' });
    }
  }
  return paras;
}

function parentText(span: Span, parent: Span | undefined): string {
  if (span.parentSpanId === null) return 'parent none: a root';
  const name = parent ? ` (${sanitize(parent.service)} ${sanitize(parent.name)})` : '';
  const how = span.inferredParent && span.inferredBy ? HOW_INFERRED[span.inferredBy] : span.inferredParent ? 'inferred' : 'logged';
  return `parent ${sanitize(span.parentSpanId)}${name} · ${how}`;
}

function timingText(model: TraceModel, span: Span): string {
  const start = formatOffset(Number(span.startNs - model.trace.startNs) / 1e6);
  const critical = model.criticalShare.get(span.spanId);
  const share = critical ? `critical path ${formatDuration(critical.ms)} (${Math.round(critical.share * 100)}% of the trace)` : 'off the critical path';
  return `start ${start} · duration ${formatDuration(span.durationMs)} · self ${formatDuration(selfTimeMs(span))} · ${share}`;
}

function statusPara(span: Span, paint: Painter): Para {
  const status = spanStatus(span);
  const answered = status === null ? 'no status logged' : status.kind === 'http' ? `status ${status.status}` : `grpc code ${status.code}`;
  if (span.error) return { text: `${answered} · error: ${sanitize(span.errorMessage ?? 'failed')}`, paint: paint.red };
  if (span.warning) return { text: `${answered} · warning (a 4xx answer or a warn-level line)`, paint: paint.yellow };
  return { text: `${answered} · ok` };
}

/**
 * Every field of a line, values whole (the tree's `--logs` caps them at 80 characters): what it
 * answered first, then its other fields in their own order, sanitised.
 */
function fieldEntries(record: LogRecord): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (record.http?.method) out.push(['method', sanitize(record.http.method)]);
  if (record.http?.route) out.push(['route', sanitize(record.http.route)]);
  if (record.http?.status !== undefined) out.push(['status', String(record.http.status)]);
  if (record.grpc?.code !== undefined) out.push(['grpc_code', String(record.grpc.code)]);
  if (record.durationMs !== null) out.push(['duration', formatDuration(record.durationMs)]);
  if (record.error) out.push(['error', sanitize(record.error)]);
  if (record.peer) out.push(['peer', sanitize(record.peer)]);
  if (record.pid) out.push(['pid', sanitize(record.pid)]);
  for (const [key, value] of Object.entries(record.attributes)) out.push([sanitize(key), valueText(value)]);
  return out;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return sanitize(value);
  try {
    return sanitize(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value));
  } catch {
    return sanitize(String(value));
  }
}
