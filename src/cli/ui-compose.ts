// `ui`'s composition: the list's rows (read once, or kept up to date while files are followed)
// and how one trace is opened, handed to the interactive view (tui/explore-traces.tsx).
import { analyseTrace, DEFAULT_SKEW } from '../analyse/analyse-trace.js';
import { criticalPath } from '../analyse/critical-path.js';
import { listTraces, type TraceList } from '../analyse/trace-list.js';
import { traceRow, type TraceRow } from '../analyse/trace-rows.js';
import { assembleTrace } from '../assemble/assemble.js';
import { collectTrace } from '../collect/collect-trace.js';
import { normaliseBatch } from '../collect/read-records.js';
import { NotFoundError, UsageError } from '../errors.js';
import { FollowSource } from '../sources/follow.js';
import { newStats, type LogRecord } from '../types.js';
import type { Leave } from '../tui/full-screen.js';
import type { ListFeed, OpenedTrace } from '../tui/explore-traces.js';
import { openTraceSource, whereToRead } from './check-traces-source.js';
import { chooseColour } from './colour.js';
import type { UiOptions } from './commands/ui.js';
import { fileLabels, normaliseOptionsFrom } from './source-options.js';
import { readTraceList, traceListFilter } from './trace-list-read.js';

/** How often a followed list is brought up to date (new lines are read as they come). */
const REFRESH_MS = 1000;

export async function openUi(sourceArgs: readonly string[], options: UiOptions): Promise<Leave> {
  // Ink draws nothing until it exits when CI is set (is-in-ci, read as Ink loads); a terminal has
  // been checked for, so this is a person at one, whatever the environment says.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { exploreTraces } = await import('../tui/explore-traces.js');
  const colour = chooseColour(options.color);
  if (options.follow) return followed(sourceArgs, options, (feed, open) => exploreTraces(feed, open, colour));
  const { list, where } = await readTraceList(sourceArgs, options);
  const title = `traces in ${sourceArgs.length > 0 ? sourceArgs.join(' ') : where.kind === 'loki' ? 'Loki' : 'the logs'} · sorted by ${options.sort}`;
  const feed: ListFeed = { current: () => list, title: () => title, subscribe: () => () => undefined };
  const open = async (traceId: string): Promise<OpenedTrace> => {
    const { source, notFound } = await openTraceSource(where, traceId);
    const { traceId: id, records, stats } = await collectTrace(source, traceId, normaliseOptionsFrom(options));
    if (records.length === 0) throw new NotFoundError(notFound(traceId, stats));
    const trace = analyseTrace(assembleTrace(id, records), DEFAULT_SKEW);
    return { trace, stats, critical: criticalPath(trace) };
  };
  return exploreTraces(feed, open, colour);
}

/**
 * Followed files (`ui -f`): read from their start, then as they grow, like `tail -F`. The records
 * of every trace are kept (the view opens a trace from them, without reading again), and the
 * rows of the traces that got lines are rebuilt once a second, by the code `traces` runs.
 */
async function followed(
  sourceArgs: readonly string[],
  options: UiOptions,
  explore: (feed: ListFeed, open: (id: string) => Promise<OpenedTrace>) => Promise<Leave>,
): Promise<Leave> {
  if (sourceArgs.length === 0) throw new UsageError('ui --follow follows files: name them (globs work)');
  const where = whereToRead(sourceArgs, options);
  const filter = traceListFilter(options, where);
  const recordsOf = new Map<string, LogRecord[]>();
  const rows = new Map<string, TraceRow>();
  const changed = new Set<string>();
  const stats = newStats();
  let list: TraceList = listTraces([], filter, options.sort, options.limit);
  const listeners = new Set<() => void>();
  const refresh = () => {
    if (changed.size === 0) return;
    for (const id of changed) rows.set(id, traceRow(analyseTrace(assembleTrace(id, recordsOf.get(id)!), DEFAULT_SKEW)));
    changed.clear();
    list = listTraces([...rows.values()], filter, options.sort, options.limit);
    for (const listener of listeners) listener();
  };
  const stop = new AbortController();
  const source = new FollowSource({ patterns: sourceArgs, fromStart: true, labelsFor: fileLabels });
  const sink = {
    keep: (r: LogRecord) => Boolean(r.traceId),
    onRecord: (r: LogRecord) => {
      let records = recordsOf.get(r.traceId!);
      if (!records) recordsOf.set(r.traceId!, (records = []));
      records.push(r);
      changed.add(r.traceId!);
    },
  };
  // Each batch on its own, as tail does: a followed file's last line must not wait for the next.
  const reading = (async () => {
    for await (const batch of source.read({ stats, signal: stop.signal })) normaliseBatch(batch, normaliseOptionsFrom(options), stats, sink);
  })().catch(() => undefined); // ends when the view does (the abort)
  const timer = setInterval(refresh, REFRESH_MS);
  const feed: ListFeed = {
    current: () => list,
    title: () => `traces in ${sourceArgs.join(' ')} · sorted by ${options.sort} · following (${rows.size} traces so far)`,
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
  const open = async (traceId: string): Promise<OpenedTrace> => {
    const records = recordsOf.get(traceId);
    if (!records) throw new NotFoundError(`trace ${traceId} has no lines yet`);
    const trace = analyseTrace(assembleTrace(traceId, [...records]), DEFAULT_SKEW);
    const traceStats = { ...newStats(), linesRead: stats.linesRead, linesMatched: records.length };
    return { trace, stats: traceStats, critical: criticalPath(trace) };
  };
  setTimeout(refresh, 100); // the files' lines so far, without waiting a whole second
  try {
    return await explore(feed, open);
  } finally {
    clearInterval(timer);
    stop.abort();
    void reading;
  }
}
