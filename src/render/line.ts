import type { Level, LogRecord } from '../types.js';
import { escapeJsonText } from './json.js';
import { formatDuration } from './duration.js';
import type { Painter } from './palette.js';
import { sanitize } from './sanitize.js';

/**
 * One record as one terminal line, for `tail`:
 *
 *   12:34:56.789 order-service  ERROR 4bf92f35 failed to reserve stock status=500 duration=104ms error="deadline"
 *
 * Time of day with ms in local time, service in its palette colour (the same as `show`), the
 * level coloured, the first 8 characters of the trace id, the message, then only the fields an
 * on-call reader scans for. Every piece of log text goes through sanitize().
 */
export interface LineOptions {
  painter: Painter;
  /** Column width for the service name; longer names are cut with `…`. */
  serviceWidth: number;
  /** `utc` for reproducible output (tests); local time otherwise. */
  timeZone?: 'local' | 'utc';
  /** Mark what this matches in the message and error (`tail --grep`), when painting in colour. */
  highlight?: RegExp;
}

export const SHORT_TRACE_ID_LENGTH = 8;
const NO_TIME = '--:--:--.---';
const LEVEL_LABEL: Record<Level, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
};

export function formatRecordLine(record: LogRecord, options: LineOptions): string {
  const p = options.painter;
  const parts: string[] = [];
  parts.push(p.dim(formatTimeOfDay(record.timeNs, options.timeZone ?? 'local')));
  const service = fit(sanitize(record.service ?? '-'), options.serviceWidth);
  parts.push(record.service ? p.service(record.service)(service) : p.dim(service));
  parts.push(p.level(record.level)(record.level ? LEVEL_LABEL[record.level] : '-    '));
  parts.push(p.dim(shortTraceId(record.traceId)));
  const message = record.message !== '' ? record.message : (record.spanName ?? '');
  parts.push(marked(sanitize(message), options));
  const fields = keyFields(record, p, options);
  if (fields.length > 0) parts.push(fields.join(' '));
  return parts.join(' ');
}

/** `HH:MM:SS.mmm`; a placeholder of the same width when the line had no time. */
export function formatTimeOfDay(timeNs: bigint | null, zone: 'local' | 'utc'): string {
  if (timeNs === null) return NO_TIME;
  const ms = Number(timeNs / 1_000_000n);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return NO_TIME;
  const [h, m, s, milli] =
    zone === 'utc'
      ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
      : [d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(milli, 3)}`;
}

export function shortTraceId(traceId: string | null): string {
  if (!traceId) return '-'.padEnd(SHORT_TRACE_ID_LENGTH);
  return sanitize(traceId.slice(0, SHORT_TRACE_ID_LENGTH)).padEnd(SHORT_TRACE_ID_LENGTH);
}

/** status, grpc code, duration, error: what tells a reader at a glance what happened. */
function keyFields(record: LogRecord, p: Painter, options: LineOptions): string[] {
  const out: string[] = [];
  const status = record.http?.status;
  if (status !== undefined) {
    const text = `status=${status}`;
    out.push(status >= 500 ? p.red(text) : status >= 400 ? p.yellow(text) : text);
  }
  const code = record.grpc?.code;
  if (code !== undefined) out.push(code === 0 ? `grpc=${code}` : p.red(`grpc=${code}`));
  if (record.durationMs !== null) out.push(`duration=${formatDuration(record.durationMs)}`);
  if (record.error) out.push(p.red(`error="${marked(sanitize(record.error), options)}"`));
  return out;
}

/**
 * Matches of the highlight pattern marked in already sanitised text (so a match never spans an
 * escape sequence we print). Without colour, the text is left as it is: the match is not news
 * to a script that asked for it.
 */
function marked(text: string, options: LineOptions): string {
  const re = options.highlight;
  if (!re || !options.painter.color) return text;
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return text.replace(global, (m) => (m === '' ? m : options.painter.match(m)));
}

function fit(text: string, width: number): string {
  if (width <= 0) return text;
  if (text.length > width) return text.slice(0, Math.max(0, width - 1)) + '…';
  return text.padEnd(width);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A record as one JSON line for jq: every normalised field; BigInt values (times, big ids in
 * attributes) become decimal strings so no precision is lost.
 */
export function formatRecordJson(record: LogRecord): string {
  // The time under show --json's name for a line's time, first, as jq users read it.
  const { timeNs, ...rest } = record;
  const named = { timeUnixNano: timeNs, ...rest };
  // C1 controls, DEL, bidi and zero-width characters as \uXXXX: the same JSON, inert on a terminal.
  return escapeJsonText(JSON.stringify(named, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}
