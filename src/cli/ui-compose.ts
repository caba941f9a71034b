// `ui`'s composition: the list's rows (read once, or kept up to date while logs are followed: ui-follow.ts)
// and how one trace is opened, handed to the interactive view (tui/explore-traces.tsx).
import { analyseTrace, DEFAULT_SKEW } from '../analyse/analyse-trace.js';
import { criticalPath } from '../analyse/critical-path.js';
import { assembleTrace } from '../assemble/assemble.js';
import { collectTrace } from '../collect/collect-trace.js';
import { NotFoundError } from '../errors.js';
import type { Leave } from '../tui/full-screen.js';
import type { ListFeed, OpenedTrace } from '../tui/explore-traces.js';
import { openTraceSource } from './check-traces-source.js';
import { chooseColour } from './colour.js';
import type { UiOptions } from './commands/ui.js';
import { normaliseOptionsFrom } from './field-options.js';
import { readTraceList } from './trace-list-read.js';

export async function openUi(sourceArgs: readonly string[], options: UiOptions): Promise<Leave> {
  // Ink draws nothing until it exits when CI is set (is-in-ci, read as Ink loads); a terminal has
  // been checked for, so this is a person at one, whatever the environment says.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { exploreTraces } = await import('../tui/explore-traces.js');
  const colour = chooseColour(options.color);
  if (options.follow) {
    const { followUi } = await import('./ui-follow.js');
    return followUi(sourceArgs, options, (feed, open) => exploreTraces(feed, open, colour));
  }
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
