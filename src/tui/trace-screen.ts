import { formatDuration } from '../render/duration.js';
import type { Painter } from '../render/palette.js';
import { fitPieces, paintPieces, type Piece } from '../render/pieces.js';
import { sanitize } from '../render/sanitize.js';
import { padEndToWidth, truncateToWidth } from '../render/text-width.js';
import { spanDetails } from './details.js';
import { KEY_HELP } from './keys.js';
import { visibleRows, type TraceModel } from './trace-model.js';
import { rowOf, type TraceViewState } from './trace-store.js';
import { axisRow, treeLayout, treeRow } from './tree-rows.js';

export interface ScreenSize {
  columns: number;
  rows: number;
}

/** Lines above the tree (title, axis) and below it (the status bar). */
const HEADER_LINES = 2;
const STATUS_LINES = 1;

/** How the screen's height is shared: the tree above, the selected span's details below. */
export function paneHeights(rows: number): { tree: number; details: number } {
  const body = Math.max(2, rows - HEADER_LINES - STATUS_LINES);
  // A rule line and at least 3 lines of details; the tree keeps about 60%.
  const details = Math.min(body - 1, Math.max(4, Math.floor(body * 0.4)));
  return { tree: Math.max(1, body - details), details };
}

/**
 * The whole screen of the trace view, as lines: exactly `size.rows` of them, none wider than
 * `size.columns`. Only the rows in the tree pane's window are drawn, whatever the trace's size.
 * `footer` names the key that leaves (`q quit`, or `Esc back` in `ui`).
 */
export function traceScreen(model: TraceModel, state: TraceViewState, size: ScreenSize, paint: Painter, footer = 'q quit'): string[] {
  const width = Math.max(1, size.columns);
  const heights = paneHeights(size.rows);
  const layout = treeLayout(model, width);
  const rows = visibleRows(model, state.collapsed);
  const matches = new Set(state.search.matches);
  const lines: string[] = [titleLine(model, width, paint), state.help ? '' : axisRow(model, layout, paint)];
  if (state.help) {
    for (const line of helpLines(width, heights.tree + heights.details, paint)) lines.push(line);
  } else {
    for (let r = state.top; r < state.top + heights.tree; r++) {
      if (r >= rows.length) {
        lines.push('');
        continue;
      }
      const i = rows[r]!;
      lines.push(treeRow(model, layout, i, { selected: i === state.selected, collapsed: state.collapsed.has(i), critical: state.critical, match: matches.has(i) }, paint));
    }
    lines.push(rule(state, width, paint));
    const details = spanDetails(model, state.selected, width, paint);
    const top = Math.min(state.detailsTop, Math.max(0, details.length - (heights.details - 1)));
    for (let k = 0; k < heights.details - 1; k++) lines.push(details[top + k] ?? '');
  }
  lines.push(statusLine(model, state, rows, width, paint, footer));
  while (lines.length < size.rows) lines.push('');
  return lines.slice(0, Math.max(1, size.rows));
}

function titleLine(model: TraceModel, width: number, paint: Painter): string {
  const { trace } = model;
  const sep: Piece = { text: ' · ', paint: paint.dim };
  const pieces: Piece[] = [
    { text: 'trace ' },
    { text: sanitize(trace.traceId), paint: paint.bold, give: [{ at: 1, keep: 8 }] },
    sep,
    { text: formatDuration(trace.durationMs) },
    sep,
    { text: `${trace.spans.length} span${trace.spans.length === 1 ? '' : 's'}` },
    sep,
    trace.errorCount > 0 ? { text: `${trace.errorCount} error${trace.errorCount === 1 ? '' : 's'}`, paint: paint.red } : { text: 'no errors' },
    // The first to go when the line is too long: whole, separator included.
    { text: ` · ${trace.services.length} service${trace.services.length === 1 ? '' : 's'}`, paint: paint.dim, give: [{ at: 0, short: '' }] },
  ];
  return paintPieces(fitPieces(pieces, width));
}

/** The line between the tree and the details: which pane has the keys, and the critical path's state. */
function rule(state: TraceViewState, width: number, paint: Painter): string {
  const label = state.focus === 'details' ? '─ details (Tab: back to the tree) ' : '─ details ';
  const critical = state.critical ? ' █ critical path, ░ off it (c) ─' : ' critical path off (c) ─';
  const fill = Math.max(0, width - label.length - critical.length);
  return paint.dim(truncateToWidth(label + '─'.repeat(fill) + critical, width));
}

function statusLine(model: TraceModel, state: TraceViewState, rows: Int32Array, width: number, paint: Painter, footer: string): string {
  const position = `${rowOf(rows, state.selected) + 1}/${rows.length}${rows.length < model.spans.length ? ` (${model.spans.length} spans)` : ''}`;
  let left: Piece;
  if (state.search.editing) left = { text: `/${sanitize(state.search.query)}▏`, paint: paint.bold };
  else if (state.notice !== null) left = { text: state.notice, paint: paint.yellow };
  else left = { text: `? keys  / search  e error origin  ${footer}`, paint: paint.dim };
  if (position.length + 1 >= width) return truncateToWidth(position, width);
  const room = width - position.length - 1;
  const leftText = padEndToWidth(truncateToWidth(left.text, room), room);
  return `${left.paint ? left.paint(leftText) : leftText} ${position}`;
}

function helpLines(width: number, height: number, paint: Painter): string[] {
  const keyWidth = Math.max(...KEY_HELP.map(([k]) => k.length)) + 2;
  const lines = [paint.bold('keys'), ''];
  for (const [keys, what] of KEY_HELP) lines.push(truncateToWidth(`  ${padEndToWidth(keys, keyWidth)}${what}`, width));
  lines.push('', paint.dim(truncateToWidth('any key closes this', width)));
  while (lines.length < height) lines.push('');
  return lines.slice(0, height);
}
