import type { LogRecord, Trace } from '../types.js';
import { formatOffset } from './duration.js';
import type { Paint, Painter } from './palette.js';
import { fitPieces, paintPieces, piecesWidth, type Piece } from './pieces.js';
import { recordFieldTexts } from './record-fields.js';
import { sanitize } from './sanitize.js';
import { levelWord } from './level-word.js';
import { displayWidth, padStartToWidth, truncateToWidth } from './text-width.js';

/** Lines a record's fields may take below it before the rest are counted (`+3 more`). */
const MAX_FIELD_LINES = 3;

/** Offset of a record from the trace start, `?` when the line had no time. */
export function recordOffset(record: LogRecord, trace: Trace): string {
  if (record.timeNs === null) return '?';
  return formatOffset(Number(record.timeNs - trace.startNs) / 1e6);
}

/** Widest offset text in the trace, so `--logs` offsets line up across spans. */
export function offsetColumnWidth(trace: Trace): number {
  let w = 0;
  for (const span of trace.spans) for (const r of span.records) w = Math.max(w, displayWidth(recordOffset(r, trace)));
  for (const { record } of trace.unattachedErrors ?? []) w = Math.max(w, displayWidth(recordOffset(record, trace)));
  return w;
}

/**
 * `show --logs`: each record under its span, indented under the tree gutter: offset from trace
 * start, level, message, then its fields dimmed (status, duration, error, every other field).
 * Fields that do not fit after the message continue on lines below it, aligned with it, at most
 * MAX_FIELD_LINES of them; no line is wider than `width`.
 */
export function spanLogLines(
  records: readonly LogRecord[],
  trace: Trace,
  gutter: string,
  offsetWidth: number,
  width: number,
  paint: Painter,
): string[] {
  const out: string[] = [];
  for (const record of records) {
    const lead: Piece[] = [
      { text: `${gutter}  `, paint: paint.dim },
      { text: padStartToWidth(recordOffset(record, trace), offsetWidth), paint: paint.dim },
      { text: ' ' },
      { text: levelWord(record.level), paint: paint.level(record.level) },
      { text: ' ' },
    ];
    const first = fitPieces([...lead, { text: sanitize(record.message), give: [{ at: 0, keep: 12 }, { at: 2, keep: 0 }] }], width);
    const indent: Piece = { text: `${gutter}  ${' '.repeat(Math.max(0, piecesWidth(lead) - displayWidth(gutter) - 2))}` };
    const fields = recordFieldTexts(record).map((text) => ({ text, paint: text.startsWith('error=') ? paint.red : paint.dim }));
    for (const line of flowFields(first, fields, indent, width)) out.push(paintPieces(line));
  }
  return out;
}

/** The first line with as many fields as fit after it, then lines of fields under `indent`. */
function flowFields(first: Piece[], fields: readonly { text: string; paint: Paint }[], indent: Piece, width: number): Piece[][] {
  const lines: Piece[][] = [first];
  let line = first;
  let used = piecesWidth(first);
  const room = width - displayWidth(indent.text);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const w = displayWidth(field.text);
    if (used + 1 + w <= width) {
      line.push({ text: ' ' }, field);
      used += 1 + w;
      continue;
    }
    if (lines.length > MAX_FIELD_LINES || room < 8) {
      const more = ` +${fields.length - i} more`;
      if (used + displayWidth(more) <= width) line.push({ text: more, paint: field.paint });
      break;
    }
    line = [indent, { ...field, text: truncateToWidth(field.text, room) }];
    used = displayWidth(indent.text) + Math.min(w, room);
    lines.push(line);
  }
  return lines;
}
