import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { serviceMapOf } from '../../analyse/service-map.js';
import { foldTraces } from '../../collect/fold-traces.js';
import { openSources, readOrFail, type McpContext } from '../engine.js';
import { guarded, ok } from '../result.js';

/** Edges returned at most: a map of more than this many service pairs is summarised, not listed. */
const MAX_EDGES = 100;

const latency = z.object({ p50: z.number(), p95: z.number(), p99: z.number() });

export function registerGetServiceMap(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_service_map',
    {
      description:
        `Which services call which across the traces in the logs (what \`mcp-trace map\` prints): per edge caller → callee, calls (inferredCalls: parents guessed from timing), ` +
        `errorRate of the callee spans, latency p50/p95/p99 in ms (1% relative error), operations; per service spans, errorRate, selfMs. ` +
        `Size cap: at most ${MAX_EDGES} edges, the busiest first; \`moreEdges\` counts the rest.`,
      inputSchema: {
        errors: z.boolean().optional().describe('only traces with a failing span'),
        service: z.string().optional().describe('only traces touching these services (comma-separated)'),
        files: z.array(z.string()).optional().describe('log files or globs to read instead of the start-up sources'),
      },
      outputSchema: {
        traces: z.number(),
        services: z.array(z.object({ service: z.string(), spans: z.number(), errorRate: z.number(), selfMs: z.number(), depth: z.number() })),
        edges: z.array(z.object({ caller: z.string(), callee: z.string(), calls: z.number(), inferredCalls: z.number(), errorRate: z.number(), latencyMs: latency, operations: z.array(z.string()) })),
        moreEdges: z.number().optional(),
      },
    },
    guarded(async (args) => {
      const source = await openSources(ctx, args.files);
      const { fold } = await readOrFail(() => foldTraces(source, { attributes: false }));
      const services = args.service ? args.service.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      // The same assembly and analysis as show (and map); only the aggregates are kept.
      const map = serviceMapOf(fold.finish(), { errors: args.errors, services });
      const busiest = [...map.edges].sort((a, b) => b.calls - a.calls).slice(0, MAX_EDGES);
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
      if (map.edges.length > busiest.length) out.moreEdges = map.edges.length - busiest.length;
      return ok(out);
    }),
  );
}
