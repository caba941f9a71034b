// What `traces` and `ui` share: the flags that pick and order traces, and the read of every
// trace in the sources (files or a Loki window) down to one row each, filtered and sorted.
import { Command, Option } from 'commander';
import { DEFAULT_SKEW } from '../analyse/analyse-trace.js';
import { listTraces, TRACE_SORTS, type TraceFilter, type TraceList, type TraceSort } from '../analyse/trace-list.js';
import { traceRows, type TraceRow } from '../analyse/trace-rows.js';
import { traceRowsOfSource } from '../analyse/parallel-rows.js';
import { foldTraces, type FoldedTraces } from '../collect/fold-traces.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { logqlString, regexQuote } from '../sources/loki/logql.js';
import { traceIdNeedles } from '../trace-id.js';
import type { ScanStats } from '../types.js';
import { listWindow, lokiWindowSource, splitList, whereToRead, type SourceFlags, type Where } from './check-traces-source.js';
import { countArg, durationArg } from './flags.js';
import { addLokiOptions, addWindowOptions } from './loki-options.js';
import { withReadingProgress } from './progress.js';
import { openLocalSources } from './source-options.js';
import { addFieldOptions, normaliseOptionsFrom } from './field-options.js';
import type { TimeWindow } from './time-window.js';

export interface TraceListFlags extends SourceFlags, NormaliseOptions {
  errors?: boolean;
  minDuration?: number;
  service?: string;
  sort: TraceSort;
  limit: number;
}

/** The filter and sort flags of `traces` (and `ui`, which lists the same rows). */
export function addTraceFilterOptions(cmd: Command, defaultLimit: number): Command {
  return cmd
    .option('--errors', 'only traces with a failing span')
    .option('--min-duration <duration>', 'only traces that took at least this long (500ms, 2s)', durationArg('--min-duration'))
    .option('--service <names>', 'only traces that touch these services (comma-separated)')
    .addOption(new Option('--sort <key>', 'order: start (latest first), duration or errors (most first)').choices(TRACE_SORTS).default('start'))
    .option('--limit <n>', 'rows to show', countArg('--limit'), defaultLimit);
}

/** Where the traces are read: the time window, Loki's settings, the field names of a format. */
export function addTraceSourceOptions(cmd: Command): Command {
  // On files the window and --service pick traces too (by start, and by the services they touch).
  addWindowOptions(cmd, { filesToo: true });
  addLokiOptions(cmd);
  addFieldOptions(cmd);
  return cmd;
}

export interface ReadTraceList {
  list: TraceList;
  stats: ScanStats;
  where: Where;
  filter: TraceFilter;
}

interface TraceRows {
  rows: TraceRow[];
  stats: ScanStats;
}

/** Words that error lines carry somewhere (level names, error fields, exception types, messages). */
const ERROR_WORDS = ['err', 'fatal', 'panic', 'crit', 'alert', 'emerg', 'exception', 'fail'];
/** Numeric spellings: pino/bunyan levels 50/60, HTTP 5xx, OTel severityNumber 17–24. */
const ERROR_PATTERNS = ['"level":\\s*[56]0', '"(status|statusCode|status_code|code)":\\s*"?5\\d\\d', '"severity_?[nN]umber":\\s*"?(1[7-9]|2[0-4])', 'grpc'];

/**
 * A superset of error lines for Loki's first pass: it only picks candidate traces, which are
 * then fetched whole and judged locally. Case variants are spelled out rather than `(?i)`, which
 * RE2 has but not every LogQL-compatible store.
 */
const ERROR_LINE_FILTER = `|~ ${logqlString(
  [...ERROR_WORDS.flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]), ...ERROR_PATTERNS].join('|'),
)}`;
/** Trace ids per second-pass query: keeps each LogQL regex short. */
const IDS_PER_QUERY = 40;

/** Every trace of the sources as a row, then the filters, sort and limit of the flags. */
export async function readTraceList(sourceArgs: readonly string[], options: TraceListFlags): Promise<ReadTraceList> {
  const where = whereToRead(sourceArgs, options);
  const window = listWindow(options, where.kind === 'loki');
  const services = splitList(options.service);
  const read = where.kind === 'loki' ? await readLoki(where, window!, options, services) : await readLocal(sourceArgs, options);
  const filter = traceListFilter(options, where, window);
  return { list: listTraces(read.rows, filter, options.sort, options.limit), stats: read.stats, where, filter };
}

/** The flags' filter; for files, a window given picks traces by their start (Loki's bounds the lines). */
export function traceListFilter(options: TraceListFlags, where: Where, window: TimeWindow | null = listWindow(options, where.kind === 'loki')): TraceFilter {
  const filter: TraceFilter = { errors: options.errors, minDurationMs: options.minDuration, services: splitList(options.service) };
  if (where.kind === 'local' && window) Object.assign(filter, { fromNs: window.fromNs, toNs: window.toNs });
  return filter;
}

async function readLocal(args: readonly string[], options: TraceListFlags): Promise<TraceRows> {
  const source = await openLocalSources(args);
  // Files are labelled with the service their name says (source-options.ts): threads do the same.
  const read = await withReadingProgress((onProgress) =>
    traceRowsOfSource(source, foldOptions(options), DEFAULT_SKEW, { onProgress, labelFileNames: true, tuning: { threads: threadsFromEnv() } }),
  );
  return { rows: read.rows, stats: read.stats };
}

/** MCP_TRACE_THREADS caps the threads a big file is read on (1: this thread only); default, the cores. */
function threadsFromEnv(): number | undefined {
  const n = Number.parseInt(process.env.MCP_TRACE_THREADS ?? '', 10);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** Facts never read a line's leftover fields, and skipping them is much less work per line. */
function foldOptions(o: NormaliseOptions): NormaliseOptions {
  return { ...normaliseOptionsFrom(o), attributes: false };
}

/** Each folded trace assembled and analysed as `show` would, down to its row. */
function rowsOf(read: FoldedTraces): TraceRows {
  return { rows: traceRows(read.fold.finish(), DEFAULT_SKEW), stats: read.stats };
}

/**
 * Loki: without --service/--errors, every line of the window. With them, a first pass narrowed in
 * LogQL finds the candidate traces, and a second pass fetches those traces whole, so rows show
 * every service of a trace and not only the lines the narrowing kept.
 */
async function readLoki(
  where: Extract<Where, { kind: 'loki' }>,
  window: TimeWindow,
  options: TraceListFlags,
  services: string[] | undefined,
): Promise<TraceRows> {
  const normalise = foldOptions(options);
  if (!services && !options.errors) return rowsOf(await foldTraces(await lokiWindowSource(where, window), normalise));
  const first = await foldTraces(await lokiWindowSource(where, window, { services, lineFilters: options.errors ? [ERROR_LINE_FILTER] : [] }), normalise);
  const ids = first.fold.finish().map((t) => t.traceId);
  let whole: FoldedTraces | undefined;
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const needles = ids.slice(i, i + IDS_PER_QUERY).flatMap((id) => traceIdNeedles(id));
    const filter = `|~ ${logqlString(needles.map(regexQuote).join('|'))}`;
    whole = await foldTraces(await lokiWindowSource(where, window, { lineFilters: [filter] }), normalise, { into: whole });
  }
  return rowsOf(whole ?? first);
}
