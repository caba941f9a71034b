import { LEVEL_RANK, type LogRecord, type Span, type Trace } from '../types.js';
import { formatDuration } from './duration.js';
import { makePainter, type Painter } from './palette.js';
import type { RenderOptions } from './render-options.js';
import { sanitize } from './sanitize.js';
import { levelWord } from './level-word.js';
import { displayWidth, padEndToWidth } from './text-width.js';

/** Span ids are shown by their first characters: enough to tell spans of one trace apart. */
const SHORT_ID = 8;
/** Longer service names are not padded further, so one odd name does not push every line. */
const MAX_SERVICE_COLUMN = 24;
const NO_TIME = '-'.padEnd('2024-11-01T12:00:00.000Z'.length);

/**
 * `show --format logs`: the trace's lines merged in time order, one per line: UTC time with
 * milliseconds, service, level, short span id, message, then the key fields (status, duration,
 * error), a stack trace indented below its line. Lines are not cut to the width: this view is the
 * raw material, often piped or saved.
 */
export function renderLogs(trace: Trace, options: RenderOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  const spanOf = new Map<LogRecord, Span>();
  for (const span of trace.spans) for (const r of span.records) spanOf.set(r, span);
  // Errors no span could be given (a Go panic) sit among the lines of their time, with no span id.
  const records = inTimeOrder([...trace.records, ...(trace.unattachedErrors ?? []).map((u) => u.record)]);
  const serviceOf = (r: LogRecord): string => r.service ?? spanOf.get(r)?.service ?? '?';
  const serviceWidth = Math.min(MAX_SERVICE_COLUMN, records.reduce((w, r) => Math.max(w, displayWidth(sanitize(serviceOf(r)))), 0));
  const lines = records.flatMap((record) => [
    renderLogLine(record, paint, { service: serviceOf(record), spanId: spanOf.get(record)?.spanId, serviceWidth }),
    ...stackLines(record, paint),
  ]);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/** A record's stack trace, indented under its line: where an on-call reader looks next. */
function stackLines(record: LogRecord, paint: Painter): string[] {
  if (!record.errorStack) return [];
  // Tabs indent Go and Java frames: shown as spaces rather than escaped like other control characters.
  return record.errorStack.split('\n').map((line) => paint.dim(`    ${sanitize(line.replace(/\r$/, '').replaceAll('\t', '    '))}`).trimEnd());
}

export interface LogLineContext {
  /** Service to show when the record names none (e.g. its span's). */
  service?: string;
  /** Span id to show when the record has none (e.g. a segment's id in trace-id-only logs). */
  spanId?: string;
  /** Pad the service to this many columns so a stream of lines lines up. */
  serviceWidth?: number;
}

/**
 * One record as a `--format logs` line; also for commands that print records as they come
 * (tail), so a line looks the same, in the same service colour, everywhere.
 */
export function renderLogLine(record: LogRecord, paint: Painter, context: LogLineContext = {}): string {
  const service = record.service ?? context.service ?? '?';
  const spanId = sanitize(context.spanId ?? record.spanId ?? '-').slice(0, SHORT_ID);
  const isError = record.level !== null && LEVEL_RANK[record.level] >= LEVEL_RANK.error;
  const parts = [
    paint.dim(isoTime(record)),
    paint.service(service)(padEndToWidth(sanitize(service), context.serviceWidth ?? 0)),
    paint.level(record.level)(levelWord(record.level)),
    paint.dim(spanId.padEnd(SHORT_ID)),
    isError ? paint.red(sanitize(record.message)) : sanitize(record.message),
  ];
  const fields = keyFields(record, paint);
  if (fields) parts.push(fields);
  return parts.join('  ').trimEnd();
}

function isoTime(record: LogRecord): string {
  if (record.timeNs === null) return NO_TIME;
  // A time a Date cannot hold (a clock-skew shift past the year 275760) is shown as no time, not thrown.
  const d = new Date(Number(record.timeNs / 1_000_000n));
  return Number.isNaN(d.getTime()) ? NO_TIME : d.toISOString();
}

/** The fields people scan for: status, duration, error. */
function keyFields(record: LogRecord, paint: Painter): string {
  const out: string[] = [];
  if (record.http?.status !== undefined) out.push(`status=${record.http.status}`);
  if (record.grpc?.code !== undefined) out.push(`grpc_code=${record.grpc.code}`);
  if (record.durationMs !== null) out.push(`duration=${formatDuration(record.durationMs)}`);
  const fields = out.map((f) => paint.dim(f));
  if (record.error) fields.push(paint.red(`error=${quoteIfNeeded(record.error)}`));
  return fields.join(' ');
}

function quoteIfNeeded(value: string): string {
  return /[\s"=]/.test(value) || value === '' ? sanitize(JSON.stringify(value)) : sanitize(value);
}

/** Stable sort by time; lines without a time keep their place relative to each other, at the end. */
function inTimeOrder(records: readonly LogRecord[]): LogRecord[] {
  return records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const ta = a.r.timeNs;
      const tb = b.r.timeNs;
      if (ta === null || tb === null) return ta === tb ? a.i - b.i : ta === null ? 1 : -1;
      return ta < tb ? -1 : ta > tb ? 1 : a.i - b.i;
    })
    .map(({ r }) => r);
}
