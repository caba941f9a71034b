import type { TraceList } from '../analyse/trace-list.js';
import type { Painter } from '../render/palette.js';
import { leftOutHint, renderTracesTable } from '../render/traces-table.js';
import { padEndToWidth, truncateToWidth } from '../render/text-width.js';
import type { ListState } from './list-store.js';
import type { ScreenSize } from './trace-screen.js';
import { CURSOR } from './tree-rows.js';

/** The table's head: its top rule, the column names, the rule under them. */
const TABLE_HEAD = 3;
/** The title line, the table's head and bottom rule, the status bar. */
const CHROME_LINES = 1 + TABLE_HEAD + 1 + 1;

export function listPage(rows: number): number {
  return Math.max(1, rows - CHROME_LINES);
}

// The table drawn for one list, width and colour; a frame draws only its window of rows.
let last: { list: TraceList; width: number; colour: boolean; lines: string[] } | undefined;

function tableLines(list: TraceList, width: number, paint: Painter): string[] {
  if (last && last.list === list && last.width === width && last.colour === paint.color) return last.lines;
  const table = renderTracesTable({ ...list, matched: list.rows.length }, { color: paint.color, width });
  last = { list, width, colour: paint.color, lines: table.replace(/\n$/, '').split('\n') };
  return last.lines;
}

/**
 * `ui`'s first screen: the `traces` table (the same rows, sort and columns, fitted to the
 * width), only its window of rows drawn, a cursor on the selected trace, and a status bar.
 * `status` says what the list is (its sort, whether logs are followed).
 */
export function listScreen(list: TraceList, state: ListState, size: ScreenSize, paint: Painter, status: string): string[] {
  const width = Math.max(1, size.columns);
  const lines: string[] = [paint.bold(truncateToWidth(status, width))];
  const table = tableLines(list, Math.max(1, width - CURSOR.length), paint);
  if (list.rows.length === 0) {
    lines.push(table[0] ?? '');
  } else {
    for (let i = 0; i < TABLE_HEAD; i++) lines.push(` ${table[i] ?? ''}`);
    for (let r = state.top; r < state.top + listPage(size.rows) && r < list.rows.length; r++) {
      const line = table[TABLE_HEAD + r] ?? '';
      lines.push(r === state.selected ? `${paint.bold(CURSOR)}${paint.color ? `\u001b[7m${line}\u001b[27m` : line}` : ` ${line}`);
    }
    lines.push(` ${table[TABLE_HEAD + list.rows.length] ?? ''}`);
  }
  while (lines.length < size.rows - 1) lines.push('');
  const hint = leftOutHint(list);
  const left = state.notice ?? `Enter open  j/k move  q quit${hint ? `  · ${hint}` : ''}`;
  const position = list.rows.length > 0 ? `${state.selected + 1}/${list.rows.length}` : '';
  const room = Math.max(0, width - position.length - 1);
  const text = padEndToWidth(truncateToWidth(left, room), room);
  lines.push(`${state.notice ? paint.yellow(text) : paint.dim(text)} ${position}`);
  return lines.slice(0, Math.max(1, size.rows));
}
