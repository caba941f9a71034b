import type { LogRecord, Trace } from '../types.js';
import { formatOffset } from './duration.js';
import type { Painter } from './palette.js';
import { fitPieces, paintPieces, type Piece } from './pieces.js';
import { sanitize } from './sanitize.js';
import { levelWord } from './level-word.js';
import { displayWidth, padStartToWidth } from './text-width.js';

/** Offset of a record from the trace start, `?` when the line had no time. */
export function recordOffset(record: LogRecord, trace: Trace): string {
  if (record.timeNs === null) return '?';
  return formatOffset(Number(record.timeNs - trace.startNs) / 1e6);
}

/** Widest offset text in the trace, so `--logs` offsets line up across spans. */
export function offsetColumnWidth(trace: Trace): number {
  let w = 0;
  for (const span of trace.spans) for (const r of span.records) w = Math.max(w, displayWidth(recordOffset(r, trace)));
  return w;
}

/**
 * `show --logs`: one line per record under its span, indented under the tree gutter:
 * offset from trace start, level, message (and the error when the message does not say it).
 */
export function spanLogLines(
  records: readonly LogRecord[],
  trace: Trace,
  gutter: string,
  offsetWidth: number,
  width: number,
  paint: Painter,
): string[] {
  return records.map((record) => {
    const pieces: Piece[] = [
      { text: `${gutter}  `, paint: paint.dim },
      { text: padStartToWidth(recordOffset(record, trace), offsetWidth), paint: paint.dim },
      { text: ' ' },
      { text: levelWord(record.level), paint: paint.level(record.level) },
      { text: ' ' },
      { text: sanitize(record.message), give: [{ at: 0, keep: 12 }, { at: 2, keep: 0 }] },
    ];
    if (record.error && !record.message.includes(record.error)) {
      pieces.push({ text: ` error=${sanitize(record.error)}`, paint: paint.red, give: [{ at: 1, keep: 16 }] });
    }
    return paintPieces(fitPieces(pieces, width));
  });
}
