import { UsageError } from '../errors.js';
import type { LokiConnection } from '../sources/loki/config.js';
import type { LokiSource } from '../sources/loki/loki-source.js';
import { streamSelector } from '../sources/loki/logql.js';
import type { LogSource } from '../sources/source.js';
import type { ScanStats } from '../types.js';
import { resolveLokiConnection, wantsLoki, type LokiFlags, type LokiWindowFlags } from './loki-options.js';
import { openLokiTraceSource } from './loki-trace-source.js';
import { localNotFoundMessage } from './not-found-message.js';
import { openLocalSources } from './source-options.js';
import { stdinBringsNoLogs } from './stdin-input.js';
import { notFoundInWindowMessage, nowNs, resolveTimeWindow, type TimeWindow } from './time-window.js';

export interface SourceFlags extends LokiFlags, LokiWindowFlags {}

/** Where `traces` and `check` read: local files/stdin, or a Loki server. */
export type Where =
  | { kind: 'local'; args: readonly string[] }
  | { kind: 'loki'; connection: LokiConnection; flags: SourceFlags };

/** Loki when asked for (or LOKI_ADDR is set and nothing local is named), files and stdin otherwise. */
export function whereToRead(args: readonly string[], flags: SourceFlags, stdinIsTTY = stdinBringsNoLogs()): Where {
  if (wantsLoki(flags, { hasFiles: args.length > 0, stdinIsTTY })) {
    if (args.length > 0) throw new UsageError('read either from Loki (--loki, --profile) or from files, not both');
    const connection = resolveLokiConnection(flags.loki === undefined && flags.profile === undefined ? { ...flags, loki: true } : flags);
    if (connection) return { kind: 'loki', connection, flags };
  }
  return { kind: 'local', args };
}

export interface OpenedTraceSource {
  source: LogSource;
  /** The one-line not-found message for this source. */
  notFound(traceId: string, stats: ScanStats): string;
}

/**
 * A source for one trace. Opened afresh for every poll of `check --wait`: files may have grown,
 * and a Loki window that ends "now" moves along.
 */
export async function openTraceSource(where: Where, traceId: string): Promise<OpenedTraceSource> {
  if (where.kind === 'local') {
    const source = await openLocalSources(where.args);
    return {
      source,
      notFound: (id, stats) => localNotFoundMessage(id, source.description, stats),
    };
  }
  // The same query and window as `show`, so a trace that `show` finds, `check` finds.
  const loki = (await openLokiTraceSource(traceId, where.flags, { hasFiles: false }))!;
  return { source: loki.source, notFound: (id) => notFoundInWindowMessage(id, loki.source.description, loki.window) };
}

/** The window `traces` lists; for files it only applies when a window flag was given. */
export function listWindow(flags: SourceFlags, isLoki: boolean): TimeWindow | null {
  if (!isLoki && flags.since === undefined && flags.from === undefined && flags.to === undefined) return null;
  return resolveTimeWindow(flags, nowNs());
}

/** Every line of the window that passes the selector, optional services and line filters. */
export function lokiWindowSource(
  where: Extract<Where, { kind: 'loki' }>,
  window: TimeWindow,
  options: { services?: readonly string[]; lineFilters?: readonly string[] } = {},
): Promise<LokiSource> {
  const selector = streamSelector({ selector: where.flags.selector, services: options.services });
  return lokiSource(where, [selector, ...(options.lineFilters ?? [])].join(' '), window);
}

/** Loaded on demand: the HTTP client is a noticeable part of start-up for file users. */
async function lokiSource(where: Extract<Where, { kind: 'loki' }>, query: string, window: TimeWindow): Promise<LokiSource> {
  const { LokiSource } = await import('../sources/loki/loki-source.js');
  return new LokiSource(where.connection, {
    query,
    fromNs: window.fromNs,
    toNs: window.toNs,
    limit: where.flags.pageSize,
    parallel: where.flags.parallel,
  });
}

export function splitList(value: string | undefined): string[] | undefined {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}
