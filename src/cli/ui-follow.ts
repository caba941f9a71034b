// `ui --follow`: the list kept up to date while files grow (as tail -F follows them) or while
// Loki's tail brings lines (after the window `traces --loki` would list). Every row comes from
// the traces' folded facts (followed-traces.ts); Enter opens a trace from its held records, or
// reads it again from the sources when they were let go.
import { analyseTrace, DEFAULT_SKEW } from '../analyse/analyse-trace.js';
import { criticalPath } from '../analyse/critical-path.js';
import type { TraceFilter } from '../analyse/trace-list.js';
import { assembleTrace } from '../assemble/assemble.js';
import { collectTrace, type CollectedTrace } from '../collect/collect-trace.js';
import { normaliseBatch, readRecords } from '../collect/read-records.js';
import { NotFoundError, UsageError } from '../errors.js';
import { sanitizeMessage } from '../render/sanitize.js';
import { FollowSource } from '../sources/follow.js';
import { traceQuery, streamSelector } from '../sources/loki/logql.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type RawLine, type ScanStats } from '../types.js';
import type { Leave } from '../tui/full-screen.js';
import type { ListFeed, OpenedTrace } from '../tui/explore-traces.js';
import { listWindow, lokiWindowSource, openTraceSource, whereToRead, type Where } from './check-traces-source.js';
import type { UiOptions } from './commands/ui.js';
import { DEFAULT_RECORD_CAP, FollowedTraces, type SeenRange } from './followed-traces.js';
import { fileLabels } from './source-options.js';
import { normaliseOptionsFrom } from './field-options.js';
import { traceListFilter } from './trace-list-read.js';

/** How often a followed list is brought up to date (new lines are read as they come). */
const REFRESH_MS = 1000;
/** Loki's default max_entries_limit_per_query: the most history one tail session returns. */
const TAIL_HISTORY_LINES = 5000;
/** Around the times a let-go trace's lines arrived, how far a Loki query for it looks. */
const REREAD_MARGIN_NS = 5n * 60_000_000_000n;
/** A tail notice (reconnecting, reconnected) stays in the title this long. */
const NOTICE_MS = 15_000;

type Explore = (feed: ListFeed, open: (id: string) => Promise<OpenedTrace>) => Promise<Leave>;

export async function followUi(sourceArgs: readonly string[], options: UiOptions, explore: Explore): Promise<Leave> {
  const where = whereToRead(sourceArgs, options);
  if (where.kind === 'local' && sourceArgs.length === 0) {
    throw new UsageError('ui --follow follows files or Loki: name the files (globs work), or give --loki');
  }
  const store = new FollowedTraces(options.keepTraces !== undefined ? { ...DEFAULT_RECORD_CAP, traces: options.keepTraces } : DEFAULT_RECORD_CAP);
  const normalise = normaliseOptionsFrom(options);
  const stats = newStats();
  const stop = new AbortController();
  let notice: { text: string; at: number; lasting: boolean } | null = null;
  const listeners = new Set<() => void>();
  const tell = () => {
    for (const listener of listeners) listener();
  };
  const say = (text: string, lasting = false) => {
    notice = { text: sanitizeMessage(text), at: Date.now(), lasting };
    tell();
  };

  // Loki: the window first, as `traces --loki` lists it, before the screen opens (a wrong address
  // is then an error with exit 4, not a blank list); then the tail from where the window ended.
  const live = where.kind === 'loki' ? await followLoki(where, options, store, stats, say) : followFiles(sourceArgs, options, say);
  const filter = followFilter(options, where);
  store.refresh(); // Loki's window is read by now
  let list = store.list(filter, options.sort, options.limit);
  const refresh = () => {
    if (!store.refresh()) return;
    list = store.list(filter, options.sort, options.limit);
    tell();
  };
  const reading = (async () => {
    for await (const batch of live.source.read({ stats, signal: stop.signal })) {
      const seen = seenRange(batch);
      // Each batch on its own, as tail does: a followed file's last line must not wait for the next.
      normaliseBatch(live.renumber(batch), normalise, stats, { keep: (r) => Boolean(r.traceId), onRecord: (r) => store.add(r, seen) });
    }
  })().catch((err: unknown) => {
    if (!stop.signal.aborted) say(`following stopped: ${err instanceof Error ? err.message : String(err)}`, true);
  });
  const timer = setInterval(refresh, REFRESH_MS);
  setTimeout(refresh, 100); // the lines so far, without waiting a whole second

  const feed: ListFeed = {
    current: () => list,
    title: () => {
      const base = `traces in ${live.name} · sorted by ${options.sort} · following (${store.rowCount} traces so far)`;
      const shown = notice && (notice.lasting || Date.now() - notice.at < NOTICE_MS) ? ` · ${notice.text}` : '';
      return base + shown;
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
  const open = async (traceId: string): Promise<OpenedTrace> => {
    const held = store.records(traceId);
    if (held) {
      const trace = analyseTrace(assembleTrace(traceId, held), DEFAULT_SKEW);
      return { trace, stats: { ...newStats(), linesRead: stats.linesRead, linesMatched: held.length }, critical: criticalPath(trace) };
    }
    if (!store.has(traceId)) throw new NotFoundError(`trace ${traceId} has no lines yet`);
    const opened = await live.reread(traceId);
    const trace = analyseTrace(assembleTrace(opened.traceId, opened.records, opened.unattached), DEFAULT_SKEW);
    const note = sanitizeMessage(`read again from ${live.name}: the follow holds the lines of the ${store.cap.traces} latest traces only`);
    return { trace, stats: opened.stats, critical: criticalPath(trace), note };
  };
  try {
    return await explore(feed, open);
  } finally {
    clearInterval(timer);
    stop.abort();
    void reading;
  }
}

/** What is followed, and how a trace whose records were let go is read again. */
interface Live {
  /** For the title: the patterns, or Loki. */
  name: string;
  source: LogSource;
  /** Tail lines numbered after the window's, so a stream reads as one file would. */
  renumber(batch: RawLine[]): RawLine[];
  /** As `show` reads one trace: its records, and the errors of its window no request can be given. */
  reread(traceId: string): Promise<CollectedTrace>;
}

function followFiles(patterns: readonly string[], options: UiOptions, say: (text: string) => void): Live {
  return {
    name: patterns.join(' '),
    source: new FollowSource({ patterns, fromStart: true, labelsFor: fileLabels, onNotice: say }),
    renumber: (batch) => batch,
    async reread(traceId) {
      // As `show` reads the files: they may have been rotated since, and then hold less.
      const { source, notFound } = await openTraceSource({ kind: 'local', args: patterns }, traceId);
      const got = await collectTrace(source, traceId, normaliseOptionsFrom(options));
      if (got.records.length === 0) throw new NotFoundError(notFound(traceId, got.stats));
      return got;
    },
  };
}

async function followLoki(
  where: Extract<Where, { kind: 'loki' }>,
  options: UiOptions,
  store: FollowedTraces,
  stats: ScanStats,
  say: (text: string) => void,
): Promise<Live> {
  const window = listWindow(options, true)!;
  // The whole window, not narrowed by --service or --errors: a row shows every service of its
  // trace, and the tail below could not be narrowed either. The filters apply to the rows.
  const windowSource = await lokiWindowSource(where, window);
  let seen: SeenRange | null = null;
  const lastLineNo = new Map<string, number>();
  const marking: LogSource = {
    description: windowSource.description,
    async *read(ro) {
      for await (const batch of windowSource.read(ro)) {
        seen = seenRange(batch);
        for (const line of batch) lastLineNo.set(line.origin, Math.max(lastLineNo.get(line.origin) ?? 0, line.lineNo));
        yield batch;
      }
    },
  };
  const normalise = normaliseOptionsFrom(options);
  await readRecords(marking, { normaliseOptions: normalise, stats, keep: (r) => Boolean(r.traceId), onRecord: (r) => store.add(r, seen) });

  const selector = streamSelector({ selector: where.flags.selector });
  const { LokiTailSource } = await import('../sources/loki/tail.js');
  const tail = new LokiTailSource(where.connection, {
    query: selector,
    // From where the window ended: the lines Loki took in meanwhile come first, then live ones.
    limit: TAIL_HISTORY_LINES,
    historyFromNs: window.toNs,
    onNotice: say,
    onWarning: say,
  });
  const { LokiSource } = await import('../sources/loki/loki-source.js');
  return {
    name: 'Loki',
    source: tail,
    renumber: (batch) => (lastLineNo.size === 0 ? batch : batch.map((line) => ({ ...line, lineNo: line.lineNo + (lastLineNo.get(line.origin) ?? 0) }))),
    async reread(traceId) {
      // Around the times Loki stamped the trace's lines, as `tail --trees` asks for an error's trace.
      const range = store.seenRange(traceId) ?? { fromNs: window.fromNs, toNs: BigInt(Date.now()) * 1_000_000n };
      const source = new LokiSource(where.connection, {
        query: traceQuery(traceId, { selector: where.flags.selector }),
        fromNs: range.fromNs - REREAD_MARGIN_NS,
        toNs: range.toNs + REREAD_MARGIN_NS,
        limit: where.flags.pageSize,
        parallel: where.flags.parallel,
      });
      const got = await collectTrace(source, traceId, normalise);
      if (got.records.length === 0) throw new NotFoundError(`trace ${traceId} is no longer in ${source.description} (its lines may have been deleted by retention)`);
      return got;
    },
  };
}

/** The flags' filter; a window given on files picks traces by start, with no end while following. */
function followFilter(options: UiOptions, where: Where): TraceFilter {
  const filter = traceListFilter(options, where);
  if (options.to === undefined) delete filter.toNs;
  return filter;
}

/** The source's own times of a batch's lines (Loki's entry timestamps), if it gives them. */
function seenRange(batch: readonly RawLine[]): SeenRange | null {
  let range: SeenRange | null = null;
  for (const line of batch) {
    const t = line.timeNs;
    if (t === undefined) continue;
    if (range === null) range = { fromNs: t, toNs: t };
    else if (t < range.fromNs) range.fromNs = t;
    else if (t > range.toNs) range.toNs = t;
  }
  return range;
}
