import type { TraceList } from '../analyse/trace-list.js';
import type { TraceRow } from '../analyse/trace-rows.js';
import { formatDuration } from './duration.js';
import { roundMs } from './json.js';
import { makePainter, type Painter } from './palette.js';
import { sanitize } from './sanitize.js';
import { displayWidth } from './text-width.js';

/** Characters of service names in the services column before the rest are counted, not named. */
const SERVICES_WIDTH = 40;

export interface TracesTableOptions {
  color: boolean;
  colorLevel?: 1 | 2 | 3;
}

/** `traces --json`: one object per row, named as `show --json` names the same things. */
export interface TraceRowJson {
  traceId: string;
  startUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  rootService: string | null;
  rootName: string | null;
}

export function traceRowToJson(s: TraceRow): TraceRowJson {
  return {
    traceId: s.traceId,
    startUnixNano: s.startNs.toString(),
    durationMs: roundMs(s.durationMs),
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    services: [...s.services],
    rootService: s.rootService,
    rootName: s.rootName,
  };
}

/** The `traces` table, then a line saying how many more matched than are shown. */
export function renderTracesTable(list: TraceList, options: TracesTableOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  if (list.rows.length === 0) {
    return list.total === 0 ? 'no traces found (no line carried a trace id)\n' : `no trace matches the filters (${list.total} traces found)\n`;
  }
  const head = ['trace id', 'start (UTC)', 'duration', 'spans', 'errors', 'services', 'root'];
  const rows = list.rows.map((row) => [
    sanitize(row.traceId),
    formatStart(row.startNs),
    formatDuration(row.durationMs),
    String(row.spanCount),
    row.errorCount > 0 ? paint.red(String(row.errorCount)) : '0',
    servicesCell(row.services, paint),
    row.rootService === null ? '' : `${paint.service(row.rootService)(sanitize(row.rootService))} ${sanitize(row.rootName ?? '')}`,
  ]);
  const lines = [boxTable(head.map((h) => paint.bold(h)), head.map((h) => h.length), rows, ALIGN_RIGHT)];
  const hint = leftOutHint(list);
  if (hint) lines.push(paint.dim(hint));
  return lines.join('\n') + '\n';
}

/**
 * What --limit left out, and how to find the one that matters: with many traces a filter or a
 * sort finds it sooner than a longer list. Null when nothing was left out. Also on stderr with --json.
 */
export function leftOutHint(list: TraceList): string | null {
  const hidden = list.matched - list.rows.length;
  if (hidden <= 0) return null;
  const more = `${hidden} more trace${hidden === 1 ? '' : 's'} (of ${list.matched})`;
  if (list.matched <= 100) return `${more}; show them with --limit ${list.matched}`;
  return `${more}; narrow with --errors, --min-duration, --service or --since, or sort with --sort duration|errors`;
}

/** Columns aligned right (duration, spans, errors); the rest left. */
const ALIGN_RIGHT = [false, false, true, true, true, false, false];

// SGR sequences our own painter adds; cells are sanitised, so no other escape is in them.
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * A boxed table as cli-table3 draws it in compact style (one pass: cli-table3's layout is
 * quadratic in the rows, 47 s for 8 000), each column as wide as its widest cell plus one space
 * either side.
 */
function boxTable(head: string[], headWidths: number[], rows: string[][], alignRight: boolean[]): string {
  const widths = [...headWidths];
  const cellWidths = rows.map((cells) =>
    cells.map((cell, c) => {
      const w = displayWidth(cell.includes('\u001b') ? cell.replace(SGR, '') : cell);
      if (w > widths[c]!) widths[c] = w;
      return w;
    }),
  );
  const rule = (left: string, mid: string, right: string): string => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const line = (cells: string[], ws: number[]): string => {
    let out = '│';
    for (let c = 0; c < widths.length; c++) {
      const gap = ' '.repeat(widths[c]! - ws[c]!);
      out += alignRight[c] ? ` ${gap}${cells[c]} │` : ` ${cells[c]}${gap} │`;
    }
    return out;
  };
  const out = [rule('┌', '┬', '┐'), line(head, headWidths), rule('├', '┼', '┤')];
  for (let r = 0; r < rows.length; r++) out.push(line(rows[r]!, cellWidths[r]!));
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

/** As many services as fit a readable column, then `+N` for the rest (--json has them all). */
function servicesCell(services: readonly string[], paint: Painter): string {
  const shown: string[] = [];
  let width = 0;
  for (const s of services) {
    if (shown.length > 0 && width + s.length > SERVICES_WIDTH) break;
    shown.push(s);
    width += s.length + 2;
  }
  const rest = services.length - shown.length;
  return shown.map((s) => paint.service(s)(sanitize(s))).join(', ') + (rest > 0 ? paint.dim(` +${rest}`) : '');
}

/** `2025-11-25 09:00:14.340`: UTC, millisecond precision, sortable. */
export function formatStart(ns: bigint): string {
  if (ns === 0n) return '?';
  return new Date(Number(ns / 1_000_000n)).toISOString().replace('T', ' ').replace('Z', '');
}
