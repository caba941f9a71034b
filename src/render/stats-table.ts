import Table from 'cli-table3';
import type { TraceStats, StatsRow } from '../analyse/stats.js';
import { formatDuration } from './duration.js';
import { makePainter, type Painter } from './palette.js';
import { sanitize } from './sanitize.js';

export interface StatsTableOptions {
  color: boolean;
  colorLevel?: 1 | 2 | 3;
}

const SHARE_NOTE =
  '* self % is self time over the trace duration; it can exceed 100% when spans of a group ran ' +
  'concurrently, because their self times overlap in wall-clock time.';

/** `show --stats`: one table per service and one per operation, largest self time first. */
export function renderStats(stats: TraceStats, options: StatsTableOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  const out: string[] = [];
  out.push(paint.bold(`By service (trace ${formatDuration(stats.traceDurationMs)}, ${stats.spanCount} spans)`));
  out.push(table(['service'], stats.byService, paint, false));
  out.push('', paint.bold('By operation'));
  out.push(table(['service', 'operation'], stats.byOperation, paint, true));
  const notes = [SHARE_NOTE];
  if (stats.placeholdersSkipped > 0) {
    notes.push(`* ${stats.placeholdersSkipped} placeholder span(s) (referenced, never logged) are not counted.`);
  }
  out.push(...notes.map((n) => paint.dim(n)));
  return out.join('\n') + '\n';
}

function table(keys: string[], rows: readonly StatsRow[], paint: Painter, byOperation: boolean): string {
  const head = [...keys, 'count', 'total', 'avg', 'max', 'self', 'self %*', 'errors'].map((h) => paint.bold(h));
  const t = new Table({
    head,
    // cli-table3 colours headers and borders itself unless told not to; colour is ours to decide.
    style: { head: [], border: [], compact: true },
    colAligns: [...keys.map(() => 'left' as const), 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const r of rows) {
    const label = [paint.service(r.service)(sanitize(r.service))];
    if (byOperation) label.push(sanitize(r.operation ?? ''));
    t.push([
      ...label,
      String(r.count),
      formatDuration(r.totalMs),
      formatDuration(r.avgMs),
      formatDuration(r.maxMs),
      formatDuration(r.selfMs),
      formatShare(r.share),
      r.errors > 0 ? paint.red(String(r.errors)) : '0',
    ]);
  }
  return t.toString();
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
