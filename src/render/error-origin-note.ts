import type { Trace } from '../types.js';
import { GLYPH } from './glyphs.js';
import type { Painter } from './palette.js';
import { sanitize } from './sanitize.js';
import { wrapToWidth } from './text-width.js';

/**
 * Below the tree, the likely error origin with its full message: in the row the message is
 * usually cut to fit the label column, and this is the line people came to read.
 */
export function errorOriginNote(trace: Trace, width: number, paint: Painter): string[] {
  const origin = trace.spans.find((s) => s.errorOrigin);
  if (!origin) return [];
  const lines = wrapToWidth(
    `${GLYPH.error} error origin: ${sanitize(origin.service)} ${sanitize(origin.name)} (span ${sanitize(origin.spanId)})`,
    width,
    '  ',
  );
  if (origin.errorMessage) for (const line of wrapToWidth(`  ${sanitize(origin.errorMessage)}`, width, '  ')) lines.push(line);
  return lines.map((line) => paint.red(line));
}
