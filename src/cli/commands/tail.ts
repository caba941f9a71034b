import { once } from 'node:events';
import { COMMAND_LIST } from '../command-list.js';
import { jsonFormatOption, addColourOptions } from '../flags.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import type { Readable } from 'node:stream';
import { Command, InvalidArgumentError, Option } from 'commander';
import { assembleTrace } from '../../assemble/assemble.js';
import { UsageError } from '../../errors.js';
import { normaliseLine, type NormaliseOptions } from '../../normalise/normalise.js';
import { formatRecordJson, formatRecordLine } from '../../render/line.js';
import { makePainter } from '../../render/palette.js';
import { stringifyForTerminal, traceToJson } from '../../render/json.js';
import { renderTree } from '../../render/tree.js';
import { sanitize, sanitizeMessage } from '../../render/sanitize.js';
import { FollowSource } from '../../sources/follow.js';
import { LiveMergeSource } from '../../sources/live-merge.js';
import type { LokiConnection } from '../../sources/loki/config.js';
import { LokiSource } from '../../sources/loki/loki-source.js';
import { streamSelector, traceQuery } from '../../sources/loki/logql.js';
import { LokiTailSource, type BackoffPolicy } from '../../sources/loki/tail.js';
import type { LogSource } from '../../sources/source.js';
import { StdinSource } from '../../sources/stdin.js';
import { traceIdsMatch } from '../../trace-id.js';
import { newStats, type LogRecord, type RawLine, type ScanStats } from '../../types.js';
import { addLokiOptions, LOKI_HEADING, resolveLokiConnection, wantsLoki, type LokiFlags } from '../loki-options.js';
import { normaliseBatch } from '../../collect/read-records.js';
import { durationFlagMs, widthArg } from '../flags.js';
import { fileLabels } from '../source-options.js';
import { addFieldOptions, normaliseOptionsFrom } from '../field-options.js';
import { stdinBringsNoLogs } from '../stdin-input.js';
import { isErrorRecord, lokiLineFilters, parseTailFilters, recordPasses, type TailFilterFlags, type TailFilters } from '../tail-filters.js';
import { TraceBuffer, TreeScheduler } from '../tail-trees.js';
import { chooseColour, type ColourChoice } from '../colour.js';
import { leaveOnInterrupt, outputWidth } from '../terminal.js';

export interface TailFlags extends LokiFlags, TailFilterFlags, NormaliseOptions {
  selector?: string;
  /** Start this far back: files from their beginning, lines older than it skipped; Loki's history. */
  since?: string;
  json?: boolean;
  format?: 'json';
  trees?: boolean;
  settle?: string;
  delayFor?: string;
  limit?: number;
  fromStart?: boolean;
  color?: boolean;
  width?: number;
  /** Print each Loki request (redacted) on stderr. */
  verbose?: boolean;
  /** Hidden: how often followed files are checked (tests use a few ms). */
  pollInterval?: string;
}

/** Everything `runTail` touches outside itself, so tests can run it in-process. */
export interface TailIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: Readable;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Ctrl-C: ends the tail normally. */
  signal: AbortSignal;
  colour: ColourChoice;
  /** Colour for notices on stderr. */
  stderrColour: boolean;
  width: number;
  timeZone?: 'local' | 'utc';
  cwd?: string;
  pollIntervalMs?: number;
  globIntervalMs?: number;
  backoff?: BackoffPolicy;
  idleTimeoutMs?: number;
  nowNs?: () => bigint;
  /** Called once followed files have their start positions (tests append only after it). */
  onFollowing?: () => void;
}

const DEFAULT_SETTLE_MS = 3000;
/** How far back from an error line the Loki query for its trace looks. */
const TREE_LOOKBACK_NS = 30n * 60_000_000_000n;
const MIN_SERVICE_WIDTH = 14;
/** Loki's default max_entries_limit_per_query: the most history one tail session returns. */
const LOKI_MAX_ENTRIES = 5000;
const MAX_SERVICE_WIDTH = 24;

export function registerTail(program: Command): void {
  const cmd = program
    .command('tail')
    .description(COMMAND_LIST.tail.summary)
    .argument('[sources...]', "log files or globs to follow like tail -F ('-' = standard input); none: Loki or piped input")
    .option('--service <names>', 'only these services (comma-separated)')
    .option('--level <level>', 'minimum level: trace, debug, info, warn, error, fatal')
    .option('--errors', 'only error lines: level error or above, an error field, an HTTP 5xx or a failed gRPC code (what fails a span in show)')
    .option('--grep <regex>', 'only lines whose message or a field (key=value) matches')
    .option('--trace <id>', 'only lines of this trace')
    .option('--json', 'print the normalised records as JSON lines (for jq)')
    .addOption(jsonFormatOption())
    .option('--trees', "after each error line, print its trace's whole tree once the trace has settled")
    .option('--settle <duration>', 'how long to wait after an error line before printing its tree', '3s')
    .option('-n, --limit <lines>', 'first print the last N lines (files: of each file, merged by time; Loki: history)', parseCount)
    .option('--since <duration>', 'first print the lines of the last 10m, 1h… (with -n: of the last N lines)')
    .option('--from-start', 'read followed files from their beginning')
    .addOption(new Option('--delay-for <seconds>', "hold lines this long (0-5 s) so late lines arrive in order (Loki's delay_for)").helpGroup(LOKI_HEADING))
    .addOption(new Option('--selector <logql>', 'Loki stream selector (default: {service_name=~".+"})').helpGroup(LOKI_HEADING));
  addColourOptions(cmd)
    .option('--width <columns>', 'width for --trees (default: terminal width, 100 when piped)', widthArg())
    .addOption(new Option('--poll-interval <duration>', 'how often followed files are checked').hideHelp());
  addLokiOptions(cmd);
  addFieldOptions(cmd);
  cmd.action(async (sourceArgs: string[], flags: TailFlags) => {
    if (flags.format === 'json') flags.json = true;
    const controller = new AbortController();
    const restoreSigint = takeOverSigint(() => controller.abort());
    try {
      await runTail(sourceArgs, flags, {
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
        stdinIsTTY: stdinBringsNoLogs(),
        env: process.env,
        signal: controller.signal,
        colour: chooseColour(flags.color),
        stderrColour: Boolean(process.stderr.isTTY) && chooseColour(flags.color).color,
        width: flags.width ?? outputWidth(),
        pollIntervalMs: flags.pollInterval !== undefined ? durationFlagMs('--poll-interval', flags.pollInterval) : undefined,
      });
    } finally {
      restoreSigint();
      // Nothing of ours hides the cursor, but a spinner or the terminal may have: give it back.
      if (process.stderr.isTTY) process.stderr.write('\u001b[?25h');
    }
    if (controller.signal.aborted) {
      // Ctrl-C is how a tail normally ends. A socket still closing must not hold the exit up.
      setTimeout(() => leaveOnInterrupt(0), 500).unref();
    }
  });
}

/**
 * Follows the sources until they end (piped input closes) or the signal fires, printing each
 * record that passes the filters and, with --trees, each error's trace tree once it settled.
 */
export async function runTail(sourceArgs: string[], flags: TailFlags, io: TailIO): Promise<void> {
  const filters = parseTailFilters(flags);
  const sinceNs = flags.since !== undefined ? (io.nowNs?.() ?? BigInt(Date.now()) * 1_000_000n) - BigInt(durationFlagMs('--since', flags.since)) * 1_000_000n : null;
  const settleMs = flags.settle !== undefined ? durationFlagMs('--settle', flags.settle) : DEFAULT_SETTLE_MS;
  const painter = makePainter(io.colour.color, io.colour.colorLevel);
  const notePainter = makePainter(io.stderrColour);
  const notice = (text: string): void => void io.stderr.write(notePainter.dim(`mcp-trace: ${sanitizeMessage(text)}`) + '\n');
  const warning = (text: string): void => void io.stderr.write(notePainter.yellow(`mcp-trace: warning: ${sanitizeMessage(text)}`) + '\n');

  const plan = openTailSource(sourceArgs, flags, filters, io, { notice, warning }, sinceNs);
  const local = plan.localFilters;
  const buffer = flags.trees && !plan.loki ? new TraceBuffer() : null;
  const normaliseOptions: NormaliseOptions = normaliseOptionsFrom(flags);

  const write = async (text: string): Promise<void> => {
    if (!io.stdout.write(text)) await Promise.race([once(io.stdout, 'drain'), once(io.stdout, 'close')]);
  };

  const trees = flags.trees
    ? new TreeScheduler(
        settleMs,
        async (traceId, atNs) => {
          const { records, stats } = plan.loki
            ? await fetchTraceFromLoki(plan.loki, traceId, atNs, flags, normaliseOptions, io, flags.verbose ? notice : undefined)
            : localTrace(buffer!, traceId);
          if (records.length === 0 || io.signal.aborted) return;
          const trace = assembleTrace(traceId, records);
          const text = flags.json
            ? stringifyForTerminal(traceToJson(trace, stats), 0) + '\n'
            : '\n' + renderTree(trace, stats, { color: io.colour.color, colorLevel: io.colour.colorLevel, width: io.width }).trimEnd() + '\n\n';
          await write(text);
        },
        (err) => warning(`could not print a trace tree: ${err instanceof Error ? err.message : String(err)}`),
      )
    : null;

  let serviceWidth = MIN_SERVICE_WIDTH;
  const stats = newStats();
  try {
    for await (const batch of plan.source.read({ stats, signal: io.signal })) {
      // Text ready to print, or a record to format once the batch's widest service is known, so
      // the service column does not jump within a backlog (-n) or a burst of lines.
      const shown: Array<string | LogRecord> = [];
      // Within one read, lines before --since are skipped, plain-text lines with the record before them.
      let beforeSince = false;
      for (const raw of timeOrdered(batch, normaliseOptions)) {
        const records = raw.records;
        if (records === null) {
          stats.malformedLines++;
          // Not JSON: still worth seeing when nothing filters (a panic, a plain-text banner).
          if (!flags.json && !hasFilters(local) && !beforeSince) shown.push(painter.dim(sanitize(raw.line.text.replace(/\r$/, ''))));
          continue;
        }
        for (const record of records) {
          beforeSince = sinceNs !== null && record.timeNs !== null && record.timeNs < sinceNs;
          if (beforeSince) continue;
          buffer?.add(record);
          if (!recordPasses(record, local)) continue;
          if (flags.json) shown.push(formatRecordJson(record));
          else {
            shown.push(record);
            if (record.service && record.service.length > serviceWidth) serviceWidth = Math.min(MAX_SERVICE_WIDTH, record.service.length);
          }
          if (trees && record.traceId && isErrorRecord(record)) trees.request(record.traceId, record.timeNs);
        }
      }
      let out = '';
      for (const item of shown) out += (typeof item === 'string' ? item : formatRecordLine(item, { painter, serviceWidth, timeZone: io.timeZone, highlight: local.grep ?? undefined })) + '\n';
      if (out) await write(out);
    }
    // The input ended (a closed pipe): nothing more can join the pending traces.
    if (!io.signal.aborted) await trees?.flush();
  } finally {
    trees?.cancel();
    await trees?.idle();
  }
}

interface TailPlan {
  source: LogSource;
  /** What still has to be checked here after Loki applied its part. */
  localFilters: TailFilters;
  /** Set when reading from Loki (trees are fetched from there). */
  loki: LokiConnection | null;
}

function openTailSource(
  args: readonly string[],
  flags: TailFlags,
  filters: TailFilters,
  io: TailIO,
  report: { notice: (t: string) => void; warning: (t: string) => void },
  sinceNs: bigint | null,
): TailPlan {
  if (wantsLoki(flags, { hasFiles: args.length > 0, stdinIsTTY: io.stdinIsTTY, env: io.env })) {
    if (args.length > 0) throw new UsageError('tail reads either Loki or local files, not both: drop the files or --loki');
    const conn = resolveLokiConnection(flags, io.env)!;
    const query = [streamSelector({ selector: flags.selector, services: filters.services }), ...lokiLineFilters(filters)].join(' ');
    const source = new LokiTailSource(conn, {
      query,
      // --since asks Loki for the history from then: up to -n lines, else Loki's most per query.
      limit: flags.limit ?? (sinceNs !== null ? LOKI_MAX_ENTRIES : undefined),
      historyFromNs: sinceNs ?? undefined,
      delayForSeconds: flags.delayFor !== undefined ? parseDelayFor(flags.delayFor) : undefined,
      backoff: io.backoff,
      idleTimeoutMs: io.idleTimeoutMs,
      nowNs: io.nowNs,
      onNotice: report.notice,
      onWarning: report.warning,
      log: flags.verbose ? report.notice : undefined,
    });
    // The stream selector already narrowed the services (by label, which a line may not repeat).
    return { source: new LiveMergeSource([source]), localFilters: { ...filters, services: [] }, loki: conn };
  }
  if (flags.selector !== undefined || flags.delayFor !== undefined) {
    throw new UsageError(`${flags.selector !== undefined ? '--selector' : '--delay-for'} applies to Loki only; add --loki (or set LOKI_ADDR)`);
  }
  const sources: LogSource[] = [];
  const files = args.filter((a) => a !== '-');
  if (args.filter((a) => a === '-').length > 1) throw new UsageError("'-' (standard input) can be named only once");
  if (args.includes('-') || args.length === 0) {
    if (args.length === 0 && io.stdinIsTTY) {
      throw new UsageError('nothing to follow: name log files (globs work), pipe logs into standard input, or use --loki');
    }
    const stdin = io.stdin;
    io.signal.addEventListener('abort', () => stdin.destroy(), { once: true });
    sources.push(new StdinSource(stdin));
  }
  for (const file of files) {
    // Followed, a folder never yields a line: the tail would wait forever without a word.
    if (!isDynamicPattern(file) && isDirectory(resolve(io.cwd ?? process.cwd(), file))) {
      const base = file.replace(/\/+$/, '') || '/';
      throw new UsageError(`${file} is a directory: name its files, e.g. '${base === '/' ? '' : base}/*.log'`);
    }
  }
  if (files.length > 0) {
    sources.push(
      new FollowSource({
        patterns: files,
        cwd: io.cwd,
        // --since alone reads files from their start; the lines before it are skipped when printing.
        fromStart: flags.fromStart || (sinceNs !== null && flags.limit === undefined),
        historyLines: flags.limit,
        pollIntervalMs: io.pollIntervalMs,
        globIntervalMs: io.globIntervalMs,
        onNotice: report.notice,
        labelsFor: fileLabels,
        onReady: io.onFollowing,
      }),
    );
  }
  return { source: new LiveMergeSource(sources), localFilters: filters, loki: null };
}

function localTrace(buffer: TraceBuffer, traceId: string): { records: LogRecord[]; stats: ScanStats } {
  const records = buffer.recordsOf(traceId);
  const stats = newStats();
  stats.linesRead = records.length;
  stats.linesMatched = records.length;
  return { records, stats };
}

/** The error's trace, from the same Loki, over the half hour before the error up to now. */
async function fetchTraceFromLoki(
  conn: LokiConnection,
  traceId: string,
  atNs: bigint | null,
  flags: TailFlags,
  normaliseOptions: NormaliseOptions,
  io: TailIO,
  log?: (line: string) => void,
): Promise<{ records: LogRecord[]; stats: ScanStats }> {
  const nowNs = io.nowNs?.() ?? BigInt(Date.now()) * 1_000_000n;
  const anchor = atNs !== null && atNs < nowNs ? atNs : nowNs;
  const source = new LokiSource(conn, {
    query: traceQuery(traceId, { selector: flags.selector }),
    fromNs: anchor - TREE_LOOKBACK_NS,
    toNs: nowNs + 1_000_000_000n,
    log,
  });
  const stats = newStats();
  const records: LogRecord[] = [];
  const sink = { keep: (r: LogRecord) => r.traceId !== null && traceIdsMatch(r.traceId, traceId), onRecord: (r: LogRecord) => records.push(r) };
  // normaliseBatch, not collectTrace: no spinner may interleave with the live lines.
  for await (const batch of source.read({ stats, signal: io.signal })) normaliseBatch(batch, normaliseOptions, stats, sink);
  return { records, stats };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface ParsedLine {
  line: RawLine;
  records: LogRecord[] | null;
}

/**
 * A batch's lines, parsed, in time order when they come from several files (the -n backlog of
 * each file, or lines that arrived in one poll), so files' lines interleave as they happened. A
 * line without a time (plain text, a stack) keeps to the line before it in its file; the sort is
 * stable, so lines of one time keep their order.
 */
function timeOrdered(batch: readonly RawLine[], options: NormaliseOptions): ParsedLine[] {
  const parsed = batch.map((line) => ({ line, records: normaliseLine(line, options) }));
  if (!batch.some((l) => l.origin !== batch[0]!.origin)) return parsed;
  const lastTime = new Map<string, bigint>();
  const keyed = parsed.map((p, i) => {
    const own = p.records?.find((r) => r.timeNs !== null)?.timeNs;
    const t = own ?? lastTime.get(p.line.origin) ?? -1n;
    lastTime.set(p.line.origin, t);
    return { p, t, i };
  });
  keyed.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i));
  return keyed.map((k) => k.p);
}

function hasFilters(f: TailFilters): boolean {
  return f.services.length > 0 || f.minLevel !== null || f.errorLines === true || f.grep !== null || f.traceId !== null;
}


/**
 * While the tail runs, Ctrl-C is its normal end (exit 0), not an interruption: the process-wide
 * handler (exit 130) steps aside and is put back afterwards. A second Ctrl-C leaves at once.
 */
function takeOverSigint(stop: () => void): () => void {
  const previous = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  let pressed = false;
  const handler = (): void => {
    if (pressed) leaveOnInterrupt(0);
    pressed = true;
    stop();
    // A source stuck in the kernel (a FIFO that has no writer yet) cannot see the stop.
    setTimeout(() => leaveOnInterrupt(0), 1000).unref();
  };
  process.on('SIGINT', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    for (const listener of previous) process.on('SIGINT', listener as (...args: unknown[]) => void);
  };
}

/** Loki takes whole seconds; its own limit (5) is left to Loki so its message is the one shown. */
function parseDelayFor(value: string): number {
  // logcli's --delay-for is whole seconds: a bare number keeps that meaning here.
  const ms = durationFlagMs('--delay-for', value, { bareSeconds: true });
  if (ms % 1000 !== 0) throw new UsageError(`--delay-for takes whole seconds (Loki's delay_for), not '${value}'`);
  return ms / 1000;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100_000) {
    throw new InvalidArgumentError(`takes a whole number of lines from 0 to 100000, not '${value}'`);
  }
  return n;
}
