import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { serviceMapOf } from '../../analyse/service-map.js';
import type { TraceFilter } from '../../analyse/trace-list.js';
import { foldTraces } from '../../collect/fold-traces.js';
import { readOrFail, type McpContext } from '../engine.js';
import { nextCall, nextCallSchema } from '../next-call.js';
import { guarded, ok } from '../result.js';
import { listingWindow, openListingSource, sourceArgs, whereFor } from '../sources.js';

/** Edges returned at most: a map of more than this many service pairs is paged. */
const MAX_EDGES = 100;

const latency = z.object({ p50: z.number(), p95: z.number(), p99: z.number() });

export function registerGetServiceMap(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_service_map',
    {
      description:
        `Which services call which across the traces in the logs (what \`mcp-trace map\` prints): per edge caller → callee, calls (inferredCalls: parents guessed from timing), ` +
        `errorRate of the callee spans, latency p50/p95/p99 in ms (1% relative error), operations; per service spans, errorRate, selfMs. ` +
        `Loki: over the window (default the last hour); files: every trace, or those starting in since/from/to. ` +
        `Size cap: ${MAX_EDGES} edges, the busiest first, 5 operations an edge; when more, \`next\` is the call for the next page.`,
      inputSchema: {
        errors: z.boolean().optional().describe('only traces with a failing span'),
        service: z.string().optional().describe('only traces touching these services (comma-separated)'),
        offset: z.number().int().min(0).optional().describe('skip this many edges first (the next page)'),
        ...sourceArgs,
      },
      outputSchema: {
        traces: z.number(),
        services: z.array(z.object({ service: z.string(), spans: z.number(), errorRate: z.number(), selfMs: z.number(), depth: z.number() })),
        edges: z.array(z.object({ caller: z.string(), callee: z.string(), calls: z.number(), inferredCalls: z.number(), errorRate: z.number(), latencyMs: latency, operations: z.array(z.string()) })),
        moreEdges: z.number().optional(),
        next: nextCallSchema.optional(),
      },
    },
    guarded(async (args) => {
      const where = whereFor(ctx.startup, args);
      const window = listingWindow(ctx.startup, args, where);
      const source = await openListingSource(where, window);
      const { fold } = await readOrFail(() => foldTraces(source, { attributes: false }));
      const filter: TraceFilter = { errors: args.errors, services: args.service ? args.service.split(',').map((s) => s.trim()).filter(Boolean) : undefined };
      if (window && where.kind === 'local') Object.assign(filter, { fromNs: window.fromNs, toNs: window.toNs });
      // The same assembly and analysis as show (and map); only the aggregates are kept.
      const map = serviceMapOf(fold.finish(), filter);
      const offset = args.offset ?? 0;
      const busiest = [...map.edges].sort((a, b) => b.calls - a.calls).slice(offset, offset + MAX_EDGES);
      const round = (n: number) => Math.round(n * 1000) / 1000;
      const out: Record<string, unknown> = {
        traces: map.traces,
        services: map.services.map((s) => ({ service: s.service, spans: s.spans, errorRate: round(s.errorRate), selfMs: round(s.selfMs), depth: s.depth })),
        edges: busiest.map((e) => ({
          caller: e.caller,
          callee: e.callee,
          calls: e.calls,
          inferredCalls: e.inferred,
          errorRate: round(e.errorRate),
          latencyMs: e.latencyMs,
          operations: e.operations.slice(0, 5),
        })),
      };
      const rest = map.edges.length - offset - busiest.length;
      if (rest > 0) {
        out.moreEdges = rest;
        out.next = nextCall('get_service_map', { ...args, offset: offset + busiest.length });
      }
      return ok(out);
    }),
  );
}
