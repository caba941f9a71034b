import type { ScanStats, Trace } from '../types.js';
import { formatDuration } from './duration.js';
import { GLYPH } from './glyphs.js';
import type { Painter } from './palette.js';
import { fitPieces, paintPieces, piecesWidth, type Piece } from './pieces.js';
import { sanitize } from './sanitize.js';
import { displayWidth, truncateToWidth, wrapToWidth } from './text-width.js';

/**
 * The lines above the tree: what the trace is (id, duration, spans, errors), which services took
 * part, how much input was looked at, and the assembler's warnings.
 */
export function treeHeader(trace: Trace, stats: ScanStats, width: number, paint: Painter): string[] {
  const lines: string[] = [...titleLines(trace, width, paint)];
  for (const line of servicesLines(trace.services, width, paint)) lines.push(line);
  const counts = [`lines: read ${stats.linesRead},`, `matched ${stats.linesMatched},`, `malformed ${stats.malformedLines}`];
  for (const line of packPhrases(counts, width, '       ')) lines.push(line);
  for (const warning of trace.warnings) {
    for (const line of wrapToWidth(`${GLYPH.warning} ${sanitize(warning)}`, width, '  ')) lines.push(paint.dim(line));
  }
  return lines;
}

function titleLines(trace: Trace, width: number, paint: Painter): string[] {
  const id: Piece[] = [{ text: 'trace ' }, { text: sanitize(trace.traceId), paint: paint.bold, give: [{ at: 1, keep: 8 }] }];
  const sep: Piece = { text: ' · ', paint: paint.dim };
  const facts: Piece[] = [
    { text: formatDuration(trace.durationMs) },
    sep,
    { text: plural(trace.spans.length, 'span') },
    sep,
    trace.errorCount > 0 ? { text: plural(trace.errorCount, 'error'), paint: paint.red } : { text: 'no errors' },
  ];
  const oneLine = [...id, sep, ...facts];
  if (piecesWidth(oneLine) <= width) return [paintPieces(oneLine)];
  return [paintPieces(fitPieces(id, width)), paintPieces(fitPieces(facts, width))];
}

/** `services: a, b, c`, each in its colour, wrapped under the label. */
function servicesLines(services: readonly string[], width: number, paint: Painter): string[] {
  const label = 'services: ';
  const indent = displayWidth(label) < width / 2 ? ' '.repeat(displayWidth(label)) : '';
  const lines: string[] = [];
  let line: Piece[] = [{ text: label }];
  services.forEach((service, i) => {
    const comma = i < services.length - 1 ? ',' : '';
    const room = width - displayWidth(indent) - comma.length;
    const item: Piece[] = [{ text: truncateToWidth(sanitize(service), room), paint: paint.service(service) }];
    if (comma) item.push({ text: comma });
    const spaced: Piece[] = i > 0 ? [{ text: ' ' }, ...item] : item;
    if (piecesWidth(line) + piecesWidth(spaced) > width && i > 0) {
      lines.push(paintPieces(fitPieces(line, width)));
      line = [{ text: indent }, ...item];
    } else {
      for (const piece of spaced) line.push(piece);
    }
  });
  if (services.length === 0) line.push({ text: '(none)', paint: paint.dim });
  lines.push(paintPieces(fitPieces(line, width)));
  return lines;
}

/** Greedy line packing that never splits a phrase unless the phrase alone is too wide. */
function packPhrases(phrases: readonly string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const phrase of phrases) {
    const candidate = line === '' ? phrase : `${line} ${phrase}`;
    if (displayWidth(candidate) <= width || line === '') line = candidate;
    else {
      lines.push(line);
      line = displayWidth(indent) < width / 2 ? indent + phrase : phrase;
    }
  }
  lines.push(line);
  return lines.map((l) => truncateToWidth(l, width));
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
