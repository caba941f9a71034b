import { grpcCodeName } from '../normalise/grpc-codes.js';
import type { Span } from '../types.js';
import { formatShift } from './duration.js';
import { GLYPH } from './glyphs.js';
import type { Painter } from './palette.js';
import type { GiveStep, Piece } from './pieces.js';
import { sanitize } from './sanitize.js';
import { spanStatus } from './span-status.js';

/**
 * The left column of a tree row: gutter, service, name, the answer's status and the markers that
 * explain the span. Error messages are not here: the error block under the tree lists every
 * failing span with its message, whole. When the column is too narrow, the name gives way first,
 * then the markers shorten (they stay, because they carry the meaning); the service name is never
 * cut, so every row still says where it ran.
 */
// Order in which parts give way (lower first); see the comment on spanLabel.
const NAME_GIVES: readonly GiveStep[] = [{ at: 2, keep: 12 }, { at: 6, keep: 4 }];

export function spanLabel(span: Span, gutter: string, paint: Painter): Piece[] {
  const pieces: Piece[] = [{ text: gutter, paint: paint.dim }];
  const service = sanitize(span.service);
  if (service !== '') pieces.push({ text: service, paint: paint.service(span.service) }, { text: ' ' });
  const name = sanitize(span.name) || sanitize(span.spanId);
  const namePaint = span.error ? paint.red : span.placeholder ? paint.dim : undefined;
  pieces.push({ text: name, paint: namePaint, give: NAME_GIVES });
  if (span.placeholder) pieces.push({ text: ` ${GLYPH.placeholder}`, paint: paint.dim });
  const status = statusPiece(span, paint);
  if (status) pieces.push(status);
  if (span.error) pieces.push({ text: ` ${GLYPH.error}`, paint: paint.red });
  else if (span.warning) pieces.push({ text: ` ${GLYPH.warningMark}`, paint: paint.yellow });
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

/**
 * The HTTP status (` 402`) or gRPC code (` grpc UNAVAILABLE`, short ` grpc 14`) the span
 * answered with: red when it failed, yellow for a client error, dim when it went well.
 */
function statusPiece(span: Span, paint: Painter): Piece | null {
  const status = spanStatus(span);
  if (status === null) return null;
  if (status.kind === 'http') {
    const colour = span.error && status.status >= 500 ? paint.red : status.status >= 400 ? paint.yellow : paint.dim;
    return { text: ` ${status.status}`, paint: colour };
  }
  const colour = status.code === 0 ? paint.dim : span.error ? paint.red : paint.yellow;
  const name = grpcCodeName(status.code);
  return name ? { text: ` grpc ${name}`, paint: colour, give: [{ at: 3, short: ` grpc ${status.code}` }] } : { text: ` grpc ${status.code}`, paint: colour };
}
