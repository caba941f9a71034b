import { Command, Option } from 'commander';
import { COMMAND_LIST } from '../command-list.js';
import { listTraces, TRACE_SORTS, type TraceFilter, type TraceSort } from '../../analyse/trace-list.js';
import type { NormaliseOptions } from '../../normalise/normalise.js';
import { logqlString, regexQuote } from '../../sources/loki/logql.js';
import { stringifyForTerminal } from '../../render/json.js';
import { leftOutHint, renderTracesTable, traceRowToJson } from '../../render/traces-table.js';
import { traceIdNeedles } from '../../trace-id.js';
import { listWindow, lokiWindowSource, splitList, whereToRead, type SourceFlags, type Where } from '../check-traces-source.js';
import { addLokiOptions, addWindowOptions } from '../loki-options.js';
import { addFieldOptions, normaliseOptionsFrom, openLocalSources } from '../source-options.js';
import { DEFAULT_SKEW } from '../../analyse/analyse-trace.js';
import { traceRows, type TraceRow } from '../../analyse/trace-rows.js';
import { foldTraces, type FoldedTraces } from '../../collect/fold-traces.js';
import type { ScanStats } from '../../types.js';
import { countArg, durationArg, widthArg } from '../flags.js';
import { withReadingProgress } from '../progress.js';
import { chooseColour } from '../colour.js';
import { outputWidth, writeOut } from '../terminal.js';
import { renderTracesTsv } from '../../render/traces-tsv.js';
import { UsageError } from '../../errors.js';
import type { TimeWindow } from '../time-window.js';
import { addGrafanaOptions, resolveGrafana, type GrafanaFlags } from '../grafana-options.js';
import { traceExploreUrl } from '../../render/grafana-link.js';

interface TracesOptions extends SourceFlags, NormaliseOptions, GrafanaFlags {
  errors?: boolean;
  minDuration?: number;
  sort: TraceSort;
  limit: number;
  json?: boolean;
  format: 'table' | 'tsv';
  color?: boolean;
  width?: number;
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

export function registerTraces(program: Command): void {
  const cmd = program
    .command('traces')
    .description(COMMAND_LIST.traces.summary)
    .argument('[sources...]', "log files or globs ('-' = standard input; piped input is read when none are named)")
    .option('--errors', 'only traces with a failing span')
    .option('--min-duration <duration>', 'only traces that took at least this long (500ms, 2s)', durationArg('--min-duration'))
    .option('--service <names>', 'only traces that touch these services (comma-separated)')
    .addOption(new Option('--sort <key>', 'order: start (latest first), duration or errors (most first)').choices(TRACE_SORTS).default('start'))
    .option('--limit <n>', 'rows to show', countArg('--limit'), 20)
    .option('--json', 'print a JSON array of rows (field names as in show --json)')
    .addOption(new Option('--format <format>', 'table (fitted to the width) or tsv (a header line, tab-separated, nothing cut)').choices(['table', 'tsv']).default('table'))
    .option('--color', 'force colour')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--width <columns>', 'table width (default: terminal width, 100 when piped)', widthArg());
  addWindowOptions(cmd);
  addLokiOptions(cmd);
  addFieldOptions(cmd);
  addGrafanaOptions(cmd);
  cmd.action(async (sourceArgs: string[], options: TracesOptions) => {
    if (options.json && options.format === 'tsv') throw new UsageError('--json and --format tsv both choose the output: pick one');
    const grafana = resolveGrafana(options);
    const where = whereToRead(sourceArgs, options);
    const window = listWindow(options, where.kind === 'loki');
    const services = splitList(options.service);
    const read = where.kind === 'loki' ? await readLoki(where, window!, options, services) : await readLocal(sourceArgs, options);
    const filter: TraceFilter = { errors: options.errors, minDurationMs: options.minDuration, services };
    // Loki already bounded the lines by the window; for files the window picks traces by start.
    if (where.kind === 'local' && window) Object.assign(filter, { fromNs: window.fromNs, toNs: window.toNs });
    const list = listTraces(read.rows, filter, options.sort, options.limit);
    if (options.json) {
      // The whole trace in Explore: the selector narrows as Loki was read, --service (a filter on traces here) does not.
      const query = { selector: options.selector };
      const withLink = (row: TraceRow) => (grafana ? { ...traceRowToJson(row), grafanaExploreUrl: traceExploreUrl(grafana, row, query) } : traceRowToJson(row));
      await writeOut(stringifyForTerminal(list.rows.map(withLink)));
      // stdout stays a plain array for scripts; what was left out is said on stderr, once written.
      const hint = leftOutHint(list);
      if (hint) process.stderr.write(`mcp-trace: ${hint}\n`);
      return;
    }
    if (options.format === 'tsv') {
      await writeOut(renderTracesTsv(list.rows));
      const hint = leftOutHint(list);
      if (hint) process.stderr.write(`mcp-trace: ${hint}\n`);
      return;
    }
    await writeOut(renderTracesTable(list, { ...chooseColour(options.color), width: options.width ?? outputWidth() }));
  });
}

async function readLocal(args: readonly string[], options: TracesOptions): Promise<TraceRows> {
  const source = await openLocalSources(args);
  return rowsOf(await withReadingProgress((onProgress) => foldTraces(source, foldOptions(options), { onProgress })));
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
  options: TracesOptions,
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
