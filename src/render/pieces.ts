import type { Paint } from './palette.js';
import { displayWidth, truncateToWidth } from './text-width.js';

/**
 * A run of plain, sanitised text with its style. Layout works on the plain text (widths, cuts)
 * and styles are applied last, so a cut never splits an escape sequence.
 */
export interface Piece {
  text: string;
  paint?: Paint;
  /** How the piece gives way when its line is too wide; steps of all pieces run in `at` order. */
  give?: readonly GiveStep[];
}

/** Cut the piece to `keep` columns (with `…`), or replace it by a shorter wording. */
export type GiveStep = { at: number; keep: number } | { at: number; short: string };

export function piecesWidth(pieces: readonly Piece[]): number {
  let w = 0;
  for (const p of pieces) w += displayWidth(p.text);
  return w;
}

/**
 * Make pieces fit in `max` columns: apply the pieces' give steps in order until the line fits,
 * then, if it still does not, cut the line from the end.
 */
export function fitPieces(pieces: readonly Piece[], max: number): Piece[] {
  let excess = piecesWidth(pieces) - max;
  if (excess <= 0) return [...pieces];
  const out = pieces.map((p) => ({ ...p }));
  const steps = out
    .flatMap((piece, index) => (piece.give ?? []).map((step) => ({ piece, index, step })))
    .sort((a, b) => a.step.at - b.step.at || a.index - b.index);
  for (const { piece, step } of steps) {
    if (excess <= 0) break;
    const before = displayWidth(piece.text);
    if ('short' in step) {
      if (displayWidth(step.short) < before) piece.text = step.short;
    } else if (before > step.keep) {
      piece.text = truncateToWidth(piece.text, Math.max(step.keep, before - excess));
    }
    excess -= before - displayWidth(piece.text);
  }
  return excess > 0 ? cutFromEnd(out, max) : out;
}

function cutFromEnd(pieces: Piece[], max: number): Piece[] {
  let used = 0;
  const out: Piece[] = [];
  for (const p of pieces) {
    const w = displayWidth(p.text);
    if (used + w <= max) {
      out.push(p);
      used += w;
      continue;
    }
    const room = max - used;
    if (room > 0) out.push({ ...p, text: truncateToWidth(p.text, room) });
    break;
  }
  return out;
}

/** Pad with a plain piece to exactly `width` columns (pieces must already fit). */
export function padPieces(pieces: readonly Piece[], width: number): Piece[] {
  const gap = width - piecesWidth(pieces);
  return gap > 0 ? [...pieces, { text: ' '.repeat(gap) }] : [...pieces];
}

/** Styled text of a line; trailing blanks are dropped so piped output has no ragged spaces. */
export function paintPieces(pieces: readonly Piece[]): string {
  let end = pieces.length;
  let tail = '';
  while (end > 0) {
    const trimmed = pieces[end - 1]!.text.trimEnd();
    if (trimmed !== '') {
      tail = trimmed;
      break;
    }
    end--;
  }
  let out = '';
  for (let i = 0; i < end; i++) {
    const p = pieces[i]!;
    const text = i === end - 1 ? tail : p.text;
    if (text === '') continue;
    out += p.paint ? p.paint(text) : text;
  }
  return out;
}
