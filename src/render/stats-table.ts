import type { TraceStats, StatsRow } from '../analyse/stats.js';
import { formatDuration } from './duration.js';
import { drawBoxTable, fitLevels, shrinkFlexible, textColumn, type FitColumn } from './fit-table.js';
import { makePainter, type Painter } from './palette.js';
import { sanitize } from './sanitize.js';
import { wrapToWidth } from './text-width.js';

export interface StatsTableOptions {
  color: boolean;
  colorLevel?: 1 | 2 | 3;
  /** Columns the tables may take (as the tree above them). */
  width: number;
}

const SHARE_NOTE =
  '* self % is self time over the trace duration; it can exceed 100% when spans of a group ran ' +
  'concurrently, because their self times overlap in wall-clock time.';

/** `show --stats`: one table per service and one per operation, largest self time first. */
export function renderStats(stats: TraceStats, options: StatsTableOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  const out: string[] = [];
  out.push(paint.bold(`By service (trace ${formatDuration(stats.traceDurationMs)}, ${stats.spanCount} spans)`));
  out.push(table(stats.byService, paint, false, options.width));
  out.push('', paint.bold('By operation'));
  out.push(table(stats.byOperation, paint, true, options.width));
  const notes = [SHARE_NOTE];
  if (stats.placeholdersSkipped > 0) {
    notes.push(`* ${stats.placeholdersSkipped} placeholder span(s) (referenced, never logged) are not counted.`);
  }
  for (const note of notes) for (const line of wrapToWidth(note, options.width, '  ')) out.push(paint.dim(line));
  return out.join('\n') + '\n';
}

/**
 * How a stats table gives way when it is wider than the width, one step per level (README,
 * `show --stats`): 1 operation cut (down to 16 columns); 2 avg, 3 max, 4 total dropped;
 * 5 service cut (down to 12); 6 operation down to 8; 7 count dropped. Self time, its share and
 * errors always stay.
 */
const FIT_LEVELS = 8;

function table(rows: readonly StatsRow[], paint: Painter, byOperation: boolean, width: number): string {
  const columns = fitLevels(FIT_LEVELS, (level) => statsColumns(rows, paint, byOperation, level, width), width);
  return drawBoxTable(columns, rows.length, width, (h) => paint.bold(h));
}

function statsColumns(rows: readonly StatsRow[], paint: Painter, byOperation: boolean, level: number, width: number): FitColumn[] {
  const number = (head: string, text: (r: StatsRow) => string): FitColumn => textColumn(head, rows.map(text), { alignRight: true });
  const service = textColumn('service', rows.map((r) => sanitize(r.service)), { paint: (t, i) => paint.service(rows[i]!.service)(t) });
  const operation = textColumn('operation', rows.map((r) => sanitize(r.operation ?? '')));
  const count = number('count', (r) => String(r.count));
  const total = number('total', (r) => formatDuration(r.totalMs));
  const avg = number('avg', (r) => formatDuration(r.avgMs));
  const max = number('max', (r) => formatDuration(r.maxMs));
  const self = number('self', (r) => formatDuration(r.selfMs));
  const share = number('self %*', (r) => formatShare(r.share));
  const errors = textColumn('errors', rows.map((r) => String(r.errors)), { alignRight: true, paint: (t, i) => (rows[i]!.errors > 0 ? paint.red(t) : t) });
  if (level >= 2) avg.dropped = true;
  if (level >= 3) max.dropped = true;
  if (level >= 4) total.dropped = true;
  if (level >= 7) count.dropped = true;
  const columns = [service, ...(byOperation ? [operation] : []), count, total, avg, max, self, share, errors];
  const flexible = [];
  if (byOperation && level >= 1) flexible.push({ column: operation, min: level >= 6 ? 8 : 16 });
  if (level >= 5) flexible.push({ column: service, min: 12 });
  shrinkFlexible(columns, flexible, width);
  return columns;
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
