import type { TraceList } from '../analyse/trace-list.js';
import type { TraceRow } from '../analyse/trace-rows.js';
import { formatDuration } from './duration.js';
import { roundMs, statusJson } from './json.js';
import { grpcCodeName } from '../normalise/grpc-codes.js';
import { makePainter, type Painter } from './palette.js';
import { sanitize } from './sanitize.js';
import { drawBoxTable, fitLevels, shrinkFlexible, textColumn, type FitColumn } from './fit-table.js';
import { shortId, shortIdLength } from './short-ids.js';
import { displayWidth, truncateToWidth } from './text-width.js';

/** Characters of service names in the services column before the rest are counted, not named. */
const SERVICES_WIDTH = 40;

export interface TracesTableOptions {
  color: boolean;
  colorLevel?: 1 | 2 | 3;
  /** Columns the table may take (terminal width, 100 when piped, --width). */
  width: number;
}

/** `traces --json`: one object per row, named as `show --json` names the same things. */
export interface TraceRowJson {
  traceId: string;
  startUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  /** Addition: spans with a 4xx answer or a warn-level line. */
  warningCount: number;
  services: string[];
  rootService: string | null;
  rootName: string | null;
  /** Addition, present only when the root's lines say: what it answered. */
  rootHttpStatus?: number;
  rootGrpcCode?: number;
}

export function traceRowToJson(s: TraceRow): TraceRowJson {
  return {
    traceId: s.traceId,
    startUnixNano: s.startNs.toString(),
    durationMs: roundMs(s.durationMs),
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    warningCount: s.warningCount,
    services: [...s.services],
    rootService: s.rootService,
    rootName: s.rootName,
    ...statusJson(s.rootStatus, 'rootHttpStatus', 'rootGrpcCode'),
  };
}

/** The `traces` table, fitted to `width`, then a line saying how many more matched than are shown. */
export function renderTracesTable(list: TraceList, options: TracesTableOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  if (list.rows.length === 0) {
    return list.total === 0 ? 'no traces found (no line carried a trace id)\n' : `no trace matches the filters (${list.total} traces found)\n`;
  }
  const columns = fitLevels(FIT_LEVELS, (level) => tracesColumns(list.rows, level, options.width, paint), options.width);
  const lines = [drawBoxTable(columns, list.rows.length, options.width, (h) => paint.bold(h))];
  const hint = leftOutHint(list);
  if (hint) lines.push(paint.dim(hint));
  return lines.join('\n') + '\n';
}

/**
 * How the table gives way when it is wider than the terminal, one step per level (README,
 * `traces`): 1 trace ids shortened to a prefix unique among the rows; 2 services, then root,
 * cut to what is left (down to 16 and 24 columns); 3 spans dropped; 4 start as the time of day
 * (month and day too when the rows span days); 5 services dropped; 6 root down to 12 and status dropped; 7 start
 * dropped; 8 root dropped. Trace id, duration and errors always stay.
 */
const FIT_LEVELS = 9;

function tracesColumns(rows: readonly TraceRow[], level: number, width: number, paint: Painter): FitColumn[] {
  const idLength = level >= 1 ? shortIdLength(rows.map((r) => r.traceId)) : Infinity;
  const shortStart = level >= 4 ? startForm(rows) : null;
  const id = textColumn('trace id', rows.map((r) => sanitize(idLength === Infinity ? r.traceId : shortId(r.traceId, idLength))));
  const start = textColumn('start (UTC)', rows.map((r) => (shortStart ? shortStart(r.startNs) : formatStart(r.startNs))));
  const duration = textColumn('duration', rows.map((r) => formatDuration(r.durationMs)), { alignRight: true });
  const spans = textColumn('spans', rows.map((r) => String(r.spanCount)), { alignRight: true });
  const errors = textColumn('errors', rows.map((r) => String(r.errorCount)), { alignRight: true, paint: (t, i) => (rows[i]!.errorCount > 0 ? paint.red(t) : t) });
  const status = statusColumn(rows, paint);
  const services = servicesColumn(rows, paint);
  const root = rootColumn(rows, paint);
  if (level >= 3) spans.dropped = true;
  if (level >= 6) status.dropped = true;
  if (level >= 5) services.dropped = true;
  if (level >= 7) start.dropped = true;
  if (level >= 8) root.dropped = true;
  const columns = [id, start, duration, status, spans, errors, services, root];
  if (level >= 2) shrinkFlexible(columns, [{ column: services, min: 16 }, { column: root, min: level >= 6 ? 12 : 24 }], width);
  return columns;
}

/**
 * What the root answered: red when the root failed, yellow for a client error (`402 ⚠`) or a
 * gRPC code other than OK, dim when it went well; gRPC codes by name (`UNAVAILABLE`). Empty when
 * the root's lines say none.
 */
function statusColumn(rows: readonly TraceRow[], paint: Painter): FitColumn {
  const texts = rows.map((r) => statusText(r));
  return textColumn('status', texts, {
    alignRight: true,
    paint: (t, i) => {
      const r = rows[i]!;
      if (r.rootStatus === null) return t;
      if (r.rootError) return paint.red(t);
      const clientError = r.rootStatus.kind === 'http' ? r.rootStatus.status >= 400 : r.rootStatus.code !== 0;
      return clientError ? paint.yellow(t) : paint.dim(t);
    },
  });
}

function statusText(r: TraceRow): string {
  const s = r.rootStatus;
  if (s === null) return '';
  if (s.kind === 'http') return s.status >= 400 && s.status < 500 ? `${s.status} ⚠` : String(s.status);
  return grpcCodeName(s.code) ?? String(s.code);
}

/** Start times without the date when every row shares one day, else without year and ms. */
function startForm(rows: readonly TraceRow[]): (ns: bigint) => string {
  const days = new Set(rows.map((r) => formatStart(r.startNs).slice(0, 10)));
  if (days.size === 1) return (ns) => formatStart(ns).slice(11);
  return (ns) => (ns === 0n ? '?' : formatStart(ns).slice(5, 19));
}

/** Names that fit, then `+N` for the rest; the first name is cut when even it does not fit. */
function servicesColumn(rows: readonly TraceRow[], paint: Painter): FitColumn {
  const names = rows.map((r) => r.services.map((s) => sanitize(s)));
  const natural = names.map((n) => servicesText(n, SERVICES_WIDTH).width);
  return {
    head: 'services',
    widest: natural.reduce((a, b) => Math.max(a, b), 0),
    cell(row, width) {
      const fitted = servicesText(names[row]!, Math.min(width, SERVICES_WIDTH));
      const shown = fitted.shown.map((s, i) => paint.service(rows[row]!.services[i]!)(s)).join(', ');
      return shown + (fitted.rest > 0 ? paint.dim(`${fitted.shown.length > 0 ? ' ' : ''}+${fitted.rest}`) : '');
    },
  };
}

function servicesText(names: readonly string[], width: number): { shown: string[]; rest: number; width: number } {
  let used = 0;
  let k = 0;
  for (; k < names.length; k++) {
    const add = displayWidth(names[k]!) + (k > 0 ? 2 : 0);
    const suffix = k + 1 < names.length ? ` +${names.length - k - 1}`.length : 0;
    if (k > 0 && used + add + suffix > width) break;
    used += add;
  }
  const rest = names.length - k;
  const suffix = rest > 0 ? ` +${rest}`.length : 0;
  if (k === 1 && used + suffix > width) {
    // Even one name is too wide: cut it, keep the count.
    const cut = truncateToWidth(names[0]!, Math.max(1, width - suffix));
    return { shown: [cut], rest, width: displayWidth(cut) + suffix };
  }
  return { shown: names.slice(0, k), rest, width: used + suffix };
}

/** `service name`: the service kept whole as long as it fits, the name cut first. */
function rootColumn(rows: readonly TraceRow[], paint: Painter): FitColumn {
  const services = rows.map((r) => (r.rootService === null ? '' : sanitize(r.rootService)));
  const names = rows.map((r) => (r.rootService === null ? '' : sanitize(r.rootName ?? '')));
  const natural = rows.map((_, i) => (services[i] === '' ? 0 : displayWidth(services[i]!) + 1 + displayWidth(names[i]!)));
  return {
    head: 'root',
    widest: natural.reduce((a, b) => Math.max(a, b), 0),
    cell(row, width) {
      const service = services[row]!;
      if (service === '') return '';
      const painted = paint.service(rows[row]!.rootService!);
      const serviceWidth = displayWidth(service);
      if (serviceWidth + 2 > width) return painted(truncateToWidth(service, width));
      return `${painted(service)} ${truncateToWidth(names[row]!, width - serviceWidth - 1)}`;
    },
  };
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

/** `2025-11-25 09:00:14.340`: UTC, millisecond precision, sortable. */
export function formatStart(ns: bigint): string {
  if (ns === 0n) return '?';
  // Beyond what a Date holds (a skew shift past the year 275760): unknown, not an exception.
  const d = new Date(Number(ns / 1_000_000n));
  return Number.isNaN(d.getTime()) ? '?' : d.toISOString().replace('T', ' ').replace('Z', '');
}
