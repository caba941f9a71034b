import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listTraces, TRACE_SORTS, type TraceFilter, type TraceSort } from '../../analyse/trace-list.js';
import { parseDurationMs } from '../../check/duration.js';
import { DEFAULT_SKEW } from '../../analyse/analyse-trace.js';
import { traceRowsOfSource } from '../../analyse/parallel-rows.js';
import { roundMs } from '../../render/json.js';
import { isoTime, readOrFail, type McpContext } from '../engine.js';
import { nextCall, nextCallSchema } from '../next-call.js';
import { guarded, ok } from '../result.js';
import { listingWindow, openListingSource, sourceArgs, ToolError, whereFor } from '../sources.js';

const DEFAULT_LIMIT = 20;
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
        `Loki: the lines of the window (default the last hour); files: every trace, or those starting in since/from/to. ` +
        `Size cap: \`limit\` rows (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}, about 250 bytes a row); when more matched, \`next\` is the call for the next page.`,
      inputSchema: {
        errors: z.boolean().optional().describe('only traces with a failing span'),
        minDuration: z.string().optional().describe('only traces at least this long: 500ms, 2s'),
        service: z.string().optional().describe('only traces touching these services (comma-separated)'),
        limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe(`rows (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT})`),
        offset: z.number().int().min(0).optional().describe('skip this many rows first (the next page)'),
        sort: z.enum(TRACE_SORTS as [TraceSort, ...TraceSort[]]).optional().describe('start (latest first, default), duration or errors'),
        ...sourceArgs,
      },
      outputSchema: {
        rows: z.array(row),
        matched: z.number(),
        total: z.number(),
        next: nextCallSchema.optional(),
        note: z.string().optional(),
      },
    },
    guarded(async (args) => {
      const filter: TraceFilter = { errors: args.errors };
      if (args.minDuration !== undefined) {
        const ms = parseDurationMs(args.minDuration);
        if (ms === null) throw new ToolError(`minDuration takes a duration like 500ms or 2s, not '${args.minDuration}'`);
        filter.minDurationMs = ms;
      }
      if (args.service) filter.services = args.service.split(',').map((s) => s.trim()).filter(Boolean);
      const where = whereFor(ctx.startup, args);
      const window = listingWindow(ctx.startup, args, where);
      // Loki already bounded the lines by the window; for files the window picks traces by start.
      if (window && where.kind === 'local') Object.assign(filter, { fromNs: window.fromNs, toNs: window.toNs });
      const source = await openListingSource(where, window);
      const { rows: allRows } = await readOrFail(() => traceRowsOfSource(source, { attributes: false }, DEFAULT_SKEW, { labelFileNames: true }));
      const limit = args.limit ?? DEFAULT_LIMIT;
      const offset = args.offset ?? 0;
      const list = listTraces(allRows, filter, args.sort ?? 'start', offset + limit);
      const rows = list.rows.slice(offset).map((s) => ({
        id: s.traceId,
        start: isoTime(s.startNs),
        durationMs: roundMs(s.durationMs),
        spans: s.spanCount,
        errors: s.errorCount,
        services: [...s.services],
        root: s.rootService === null ? null : `${s.rootService}:${s.rootName ?? ''}`,
      }));
      const out: Record<string, unknown> = { rows, matched: list.matched, total: list.total };
      const rest = list.matched - offset - rows.length;
      if (rest > 0) {
        out.next = nextCall('search_traces', { ...args, offset: offset + rows.length, limit });
        out.note = `${rest} more matched: call next for the following ${Math.min(rest, limit)}`;
      }
      return ok(out);
    }),
  );
}
