import type { Span, Trace } from '../types.js';
import { formatOffset } from './duration.js';
import { GLYPH } from './glyphs.js';
import type { Painter } from './palette.js';
import { sanitize } from './sanitize.js';
import { wrapToWidth } from './text-width.js';

/**
 * Below the tree, every failing span with its whole message (rows carry no messages, so they
 * never cut one): the likely error origin first, as the line people came to read, then the
 * others in tree order, each under its service, name and span id.
 */
export function errorOriginNote(trace: Trace, width: number, paint: Painter): string[] {
  const failing = trace.spans.filter((s) => s.error && !s.placeholder);
  const lines: string[] = [];
  const origin = failing.find((s) => s.errorOrigin);
  if (origin) entry(origin, `${GLYPH.error} error origin: `, '  ', width, lines);
  const others = failing.filter((s) => s !== origin);
  if (others.length > 0) {
    lines.push(`${GLYPH.error} ${origin ? `also failing (${others.length})` : `failing spans (${others.length})`}:`);
    for (const span of others) entry(span, '  ', '    ', width, lines);
  }
  unattachedEntries(trace, width, lines);
  return lines.map((line) => paint.red(line));
}

/**
 * Errors of the trace's services in its window that no span could be given (a Go panic while
 * several requests ran): each with its service, offset, why, and its message.
 */
function unattachedEntries(trace: Trace, width: number, out: string[]): void {
  const loose = trace.unattachedErrors ?? [];
  if (loose.length === 0) return;
  out.push(`${GLYPH.error} not on any span (${loose.length}):`);
  for (const { record, reason } of loose) {
    const at = record.timeNs === null ? '' : ` at ${formatOffset(Number(record.timeNs - trace.startNs) / 1e6)}`;
    for (const line of wrapToWidth(`  ${sanitize(record.service ?? 'unknown')}${at} (${sanitize(reason)}; ${sanitize(record.origin)}:${record.lineNo})`, width, '    ')) out.push(line);
    for (const line of wrapToWidth(`    ${sanitize(record.message)}`, width, '    ')) out.push(line);
  }
}

/** `lead` + service, name and span id, then the message; wrapped lines start with `indent`. */
function entry(span: Span, lead: string, indent: string, width: number, out: string[]): void {
  for (const line of wrapToWidth(`${lead}${sanitize(span.service)} ${sanitize(span.name)} (span ${sanitize(span.spanId)})`, width, indent)) out.push(line);
  if (span.errorMessage) for (const line of wrapToWidth(`${indent}${sanitize(span.errorMessage)}`, width, indent)) out.push(line);
}
