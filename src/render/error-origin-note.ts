import type { Span, Trace } from '../types.js';
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
  if (failing.length === 0) return [];
  const origin = failing.find((s) => s.errorOrigin);
  const lines: string[] = [];
  if (origin) entry(origin, `${GLYPH.error} error origin: `, '  ', width, lines);
  const others = failing.filter((s) => s !== origin);
  if (others.length > 0) {
    lines.push(`${GLYPH.error} ${origin ? `also failing (${others.length})` : `failing spans (${others.length})`}:`);
    for (const span of others) entry(span, '  ', '    ', width, lines);
  }
  return lines.map((line) => paint.red(line));
}

/** `lead` + service, name and span id, then the message; wrapped lines start with `indent`. */
function entry(span: Span, lead: string, indent: string, width: number, out: string[]): void {
  for (const line of wrapToWidth(`${lead}${sanitize(span.service)} ${sanitize(span.name)} (span ${sanitize(span.spanId)})`, width, indent)) out.push(line);
  if (span.errorMessage) for (const line of wrapToWidth(`${indent}${sanitize(span.errorMessage)}`, width, indent)) out.push(line);
}
