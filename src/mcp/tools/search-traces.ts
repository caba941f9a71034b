import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listTraces, TRACE_SORTS, type TraceFilter, type TraceSort } from '../../analyse/trace-list.js';
import { parseDurationMs } from '../../check/duration.js';
import { DEFAULT_SKEW } from '../../analyse/analyse-trace.js';
import { traceRows } from '../../analyse/trace-rows.js';
import { foldTraces } from '../../collect/fold-traces.js';
import { nowNs, parseTimeFlag } from '../../cli/time-window.js';
import { roundMs } from '../../render/json.js';
import { isoTime, openSources, readOrFail, ToolError, type McpContext } from '../engine.js';
import { guarded, ok } from '../result.js';

const MAX_LIMIT = 200;

const row = z.object({
  id: z.string(),
  start: z.string(),
  durationMs: z.number(),
  spans: z.number(),
  errors: z.number(),
  services: z.array(z.string()),
  root: z.string().nullable(),
});

export function registerSearchTraces(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'search_traces',
    {
      description:
        `List traces in the logs, one compact row each (id, start, durationMs, spans, errors, services, root). ` +
        `Size cap: at most \`limit\` rows (default 20, max ${MAX_LIMIT}, about 250 bytes a row); \`matched\` says how many passed the filters, raise limit or narrow the filters for the rest.`,
      inputSchema: {
        errors: z.boolean().optional().describe('only traces with a failing span'),
        minDuration: z.string().optional().describe('only traces at least this long: 500ms, 2s'),
        service: z.string().optional().describe('only traces touching these services (comma-separated)'),
        since: z.string().optional().describe('only traces starting at/after: RFC3339, now-2h, 2h (ago), unix time'),
        limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe('rows (default 20, max 200)'),
        sort: z.enum(TRACE_SORTS as [TraceSort, ...TraceSort[]]).optional().describe('start (latest first, default), duration or errors'),
        files: z.array(z.string()).optional().describe('log files or globs to read instead of the start-up sources'),
      },
      outputSchema: { rows: z.array(row), matched: z.number(), total: z.number(), note: z.string().optional() },
    },
    guarded(async (args) => {
      const filter: TraceFilter = { errors: args.errors };
      if (args.minDuration !== undefined) {
        const ms = parseDurationMs(args.minDuration);
        if (ms === null) throw new ToolError(`minDuration takes a duration like 500ms or 2s, not '${args.minDuration}'`);
        filter.minDurationMs = ms;
      }
      if (args.service) filter.services = args.service.split(',').map((s) => s.trim()).filter(Boolean);
      if (args.since !== undefined) filter.fromNs = parseTimeFlag(args.since, nowNs(), 'since');
      const source = await openSources(ctx, args.files);
      const { fold } = await readOrFail(() => foldTraces(source, { attributes: false }));
      const limit = args.limit ?? 20;
      const list = listTraces(traceRows(fold.finish(), DEFAULT_SKEW), filter, args.sort ?? 'start', limit);
      const rows = list.rows.map((s) => ({
        id: s.traceId,
        start: isoTime(s.startNs),
        durationMs: roundMs(s.durationMs),
        spans: s.spanCount,
        errors: s.errorCount,
        services: [...s.services],
        root: s.rootService === null ? null : `${s.rootService}:${s.rootName ?? ''}`,
      }));
      const out: Record<string, unknown> = { rows, matched: list.matched, total: list.total };
      if (list.matched > rows.length) out.note = `${list.matched - rows.length} more matched; call again with limit ${Math.min(list.matched, MAX_LIMIT)} or narrower filters`;
      return ok(out);
    }),
  );
}
