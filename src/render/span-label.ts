import type { Span } from '../types.js';
import { formatShift } from './duration.js';
import { GLYPH } from './glyphs.js';
import type { Painter } from './palette.js';
import type { GiveStep, Piece } from './pieces.js';
import { sanitize } from './sanitize.js';

/**
 * The left column of a tree row: gutter, service, name and the markers that explain the span.
 * When the column is too narrow, the error message gives way first (the error origin's full
 * message is repeated below the tree), then the name and service; the markers shorten but stay,
 * because they carry the meaning.
 */
// Order in which parts give way (lower first); see the comment on spanLabel.
const MESSAGE_GIVES: readonly GiveStep[] = [{ at: 1, keep: 12 }, { at: 3, keep: 0 }];
const NAME_GIVES: readonly GiveStep[] = [{ at: 2, keep: 12 }, { at: 6, keep: 4 }];
const SERVICE_GIVES: readonly GiveStep[] = [{ at: 4, keep: 6 }, { at: 7, keep: 3 }];

export function spanLabel(span: Span, gutter: string, paint: Painter): Piece[] {
  const pieces: Piece[] = [{ text: gutter, paint: paint.dim }];
  const service = sanitize(span.service);
  if (service !== '') pieces.push({ text: service, paint: paint.service(span.service), give: SERVICE_GIVES }, { text: ' ' });
  const name = sanitize(span.name) || sanitize(span.spanId);
  const namePaint = span.error ? paint.red : span.placeholder ? paint.dim : undefined;
  pieces.push({ text: name, paint: namePaint, give: NAME_GIVES });
  if (span.placeholder) pieces.push({ text: ` ${GLYPH.placeholder}`, paint: paint.dim });
  if (span.error) {
    pieces.push({ text: ` ${GLYPH.error}`, paint: paint.red });
    if (span.errorMessage) pieces.push({ text: ` ${sanitize(span.errorMessage)}`, paint: paint.red, give: MESSAGE_GIVES });
  }
  if (span.errorOrigin) {
    pieces.push({ text: ` ${GLYPH.errorOrigin}`, paint: paint.alarm, give: [{ at: 5, short: ` ${GLYPH.errorOriginShort}` }] });
  }
  if (span.skewShiftMs !== 0) {
    const shift = `${GLYPH.skew} ${formatShift(span.skewShiftMs)}`;
    pieces.push({ text: ` ${shift} clock skew`, paint: paint.yellow, give: [{ at: 5, short: ` ${shift}` }] });
  }
  if (span.outlivesParent) {
    pieces.push({ text: ` ${GLYPH.outlives}`, paint: paint.yellow, give: [{ at: 5, short: ` ${GLYPH.outlivesShort}` }] });
  }
  return pieces;
}
