import { displayWidth, truncateToWidth } from './text-width.js';

/**
 * Boxed tables that fit a width: the shared drawing of `traces` and `show --stats`. Each table
 * says in which order its columns give way (fitLevels); this module only measures and
 * draws, one pass over the rows (cli-table3's layout was quadratic: 47 s for 8 000 rows).
 */

export interface FitColumn {
  /** Plain header text (painted by the caller's `paintHead`). */
  head: string;
  alignRight?: boolean;
  /** Display width of the widest cell at its natural size (plain text, no colour). */
  widest: number;
  /** Cell `row` painted, at most `width` columns wide (cut with `…` when it must be). */
  cell(row: number, width: number): string;
  /** Set by a level: the column is not drawn. */
  dropped?: boolean;
  /** Set by a level: the column is drawn at most this wide. */
  maxWidth?: number;
}

/** The width of a boxed table of these column widths: `│ ` + cell + ` ` each, and the last `│`. */
export function boxWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w + 3, 1);
}

/** A column's drawn width: its widest cell or header, capped by maxWidth. */
export function columnWidth(column: FitColumn): number {
  const w = Math.max(column.head.length, column.widest);
  return column.maxWidth === undefined ? w : Math.min(w, column.maxWidth);
}

export function tableWidth(columns: readonly FitColumn[]): number {
  return boxWidth(columns.filter((c) => !c.dropped).map(columnWidth));
}

/**
 * The columns of the first level that fits `width`, else of the last level. Level 0 is the
 * table as it is; each level gives way one step more, in the table's stated order. `build` makes
 * the columns of a level from scratch, so that room freed by a later step (a dropped column) goes
 * back to the columns an earlier step shrank.
 */
export function fitLevels(levels: number, build: (level: number) => FitColumn[], width: number): FitColumn[] {
  let columns: FitColumn[] = [];
  for (let level = 0; level < levels; level++) {
    columns = build(level).filter((c) => !c.dropped);
    if (tableWidth(columns) <= width) break;
  }
  return columns;
}

/**
 * Flexible columns, in order, give way to what is left of the width, each down to its minimum
 * (the first gives way first). Nothing changes when they fit as they are.
 */
export function shrinkFlexible(columns: FitColumn[], flexible: readonly { column: FitColumn; min: number }[], width: number): void {
  const live = flexible.filter((f) => !f.column.dropped);
  const fixed = columns.filter((c) => !c.dropped && !live.some((f) => f.column === c)).map(columnWidth);
  let left = width - boxWidth(fixed) - 3 * live.length;
  let need = live.reduce((sum, f) => sum + columnWidth(f.column), 0);
  for (const f of live) {
    if (need <= left) break;
    const natural = columnWidth(f.column);
    const give = Math.min(natural - Math.min(natural, f.min), need - left);
    f.column.maxWidth = natural - give;
    need -= give;
  }
}

// SGR sequences our own painter adds; cells are sanitised, so no other escape is in them.
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * Draws the table as cli-table3 does in compact style. A line that would still be wider than
 * `width` (a table with nothing left to give at a very small width) is cut, so that no line wraps.
 */
export function drawBoxTable(columns: readonly FitColumn[], rowCount: number, width: number, paintHead: (h: string) => string): string {
  const widths = columns.map(columnWidth);
  const rule = (left: string, mid: string, right: string): string => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const line = (cells: readonly string[]): string => {
    let out = '│';
    for (let c = 0; c < widths.length; c++) {
      const cell = cells[c]!;
      const shown = displayWidth(cell.includes('\u001b') ? cell.replace(SGR, '') : cell);
      const gap = ' '.repeat(Math.max(0, widths[c]! - shown));
      out += columns[c]!.alignRight ? ` ${gap}${cell} │` : ` ${cell}${gap} │`;
    }
    return out;
  };
  const head = columns.map((c, i) => paintHead(truncateToWidth(c.head, widths[i]!)));
  const out = [rule('┌', '┬', '┐'), line(head), rule('├', '┼', '┤')];
  for (let r = 0; r < rowCount; r++) out.push(line(columns.map((c, i) => c.cell(r, widths[i]!))));
  out.push(rule('└', '┴', '┘'));
  const text = out.join('\n');
  return boxWidth(widths) <= width ? text : out.map((l) => cutLine(l, width)).join('\n');
}

/** A drawn line cut to `width` visible columns, colour closed. */
function cutLine(line: string, width: number): string {
  const plain = line.includes('\u001b') ? line.replace(SGR, '') : line;
  return displayWidth(plain) <= width ? line : truncateToWidth(plain, width);
}

/** A plain-text column: cells cut with `…` when narrower than their text, painted after the cut. */
export function textColumn(head: string, texts: readonly string[], options: { alignRight?: boolean; paint?: (text: string, row: number) => string } = {}): FitColumn {
  const natural = texts.map((t) => displayWidth(t));
  return {
    head,
    alignRight: options.alignRight,
    widest: natural.reduce((a, b) => Math.max(a, b), 0),
    cell(row, width) {
      const text = natural[row]! <= width ? texts[row]! : truncateToWidth(texts[row]!, width);
      return options.paint ? options.paint(text, row) : text;
    },
  };
}
