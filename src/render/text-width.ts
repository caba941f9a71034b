import stringWidth from 'string-width';

/**
 * Column arithmetic on plain (unstyled, sanitised) text. Widths come from string-width so CJK and
 * emoji count as two columns and combining marks as none; cuts fall on grapheme boundaries.
 */

// Created on first use: building a segmenter loads ICU data (~25 ms), and most text is simple.
let segmenterInstance: Intl.Segmenter | undefined;
function graphemes(text: string): Intl.Segments {
  segmenterInstance ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenterInstance.segment(text);
}
/**
 * Text made only of characters that are one column each and never start an emoji or combine:
 * ASCII, Latin-1 and Latin extended letters, general punctuation, arrows, maths, box drawing and
 * block elements, plus the few symbols the tree draws. Measured by length, because string-width's
 * grapheme and emoji analysis dominates rendering time for large traces otherwise; the test
 * suite checks every character of this class against string-width.
 */
export const SIMPLE_NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2500-\u259f\u25c0\u2716]*$/;

export const ELLIPSIS = '…';

export function displayWidth(text: string): number {
  // Fast path: ids, names, durations, gutters and bars are nearly always simple text.
  if (SIMPLE_NARROW.test(text)) return text.length;
  return stringWidth(text);
}

/** Cut `text` to at most `max` columns, ending in `…` when something was cut. */
export function truncateToWidth(text: string, max: number): string {
  if (max <= 0) return '';
  if (displayWidth(text) <= max) return text;
  if (max === 1) return ELLIPSIS;
  return takeWidth(text, max - 1) + ELLIPSIS;
}

/** The longest prefix of `text` that fits in `max` columns (no ellipsis). */
export function takeWidth(text: string, max: number): string {
  if (SIMPLE_NARROW.test(text)) return text.slice(0, Math.max(0, max));
  let out = '';
  let used = 0;
  for (const { segment } of graphemes(text)) {
    const w = stringWidth(segment);
    if (used + w > max) break;
    out += segment;
    used += w;
  }
  return out;
}

export function padEndToWidth(text: string, width: number): string {
  const gap = width - displayWidth(text);
  return gap > 0 ? text + ' '.repeat(gap) : text;
}

export function padStartToWidth(text: string, width: number): string {
  const gap = width - displayWidth(text);
  return gap > 0 ? ' '.repeat(gap) + text : text;
}

/**
 * Word-wrap to `width` columns; continuation lines start with `indent`. Words longer than a line
 * are cut hard, so no line is ever wider than `width`.
 */
export function wrapToWidth(text: string, width: number, indent = ''): string[] {
  if (width <= 0) return [''];
  const cont = displayWidth(indent) < width ? indent : '';
  const lines: string[] = [];
  let line = '';
  let hasWord = false;
  const newLine = (): void => {
    lines.push(line);
    line = cont;
    hasWord = false;
  };
  for (const word of text.split(' ')) {
    const candidate = hasWord ? `${line} ${word}` : line + word;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      hasWord = true;
      continue;
    }
    if (hasWord) newLine();
    // Not `line += cutLongWord(…)`: that would read `line` before the pieces are added.
    const rest = cutLongWord(word, width, displayWidth(line), displayWidth(cont), (piece) => {
      line += piece;
      newLine();
    });
    line += rest;
    hasWord = true;
  }
  lines.push(line);
  return lines;
}

/**
 * Hands a word too long for the line to `fill` in pieces, each ending a line (the first line is
 * `lineWidth` wide so far, the next ones `contWidth`), and returns the rest, which fits. Each
 * grapheme is measured once: re-measuring the rest after every piece was quadratic (a 1 MB
 * message took minutes to wrap).
 */
function cutLongWord(word: string, width: number, lineWidth: number, contWidth: number, fill: (piece: string) => void): string {
  if (SIMPLE_NARROW.test(word)) {
    let at = 0;
    while (lineWidth + word.length - at > width) {
      const room = width - lineWidth;
      fill(room > 0 ? word.slice(at, at + room) : ELLIPSIS);
      at += Math.max(room, 1);
      lineWidth = contWidth;
    }
    return word.slice(at);
  }
  const parts = Array.from(graphemes(word), (g) => g.segment);
  const widths = parts.map((part) => stringWidth(part));
  let rest = widths.reduce((a, b) => a + b, 0);
  let i = 0;
  while (lineWidth + rest > width) {
    const room = width - lineWidth;
    let head = '';
    let used = 0;
    for (; i < parts.length && used + widths[i]! <= room; i++) {
      head += parts[i];
      used += widths[i]!;
    }
    if (head === '') {
      // A wide character that cannot fit even on a fresh line: show that something was there.
      fill(ELLIPSIS);
      used = widths[i++]!;
    } else {
      fill(head);
    }
    rest -= used;
    lineWidth = contWidth;
  }
  return parts.slice(i).join('');
}
