import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { criticalPath, criticalPathShares } from '../../analyse/critical-path.js';
import { selfTimeMs } from '../../analyse/self-time.js';
import { roundMs } from '../../render/json.js';
import { loadTrace, offsetMs, spansById, type McpContext } from '../engine.js';
import { nextCall, nextCallSchema } from '../next-call.js';
import { guarded, ok } from '../result.js';
import { sourceArgs } from '../sources.js';

const DEFAULT_LIMIT = 30;
/** ~170 bytes a segment and ~1.3 KB of top spans: 40 segments stay under 10 KB. */
const MAX_LIMIT = 40;

export function registerGetCriticalPath(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_critical_path',
    {
      description:
        'The critical path of a trace (what its duration waited on, found like Jaeger UI): segments in time order with spanId, service, name, ' +
        'startOffsetMs, endOffsetMs, ms on the path and the span\'s selfMs, plus the spans ranked by critical time. ' +
        `Size cap: limit segments (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}; under 10 KB), the longest first, shown in time order; 10 top spans. ` +
          'When cut, `truncated.next` is the call for the next longest (offset).',
      inputSchema: {
        traceId: z.string().min(1).describe('trace id as logged'),
        limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe(`segments to return (default ${DEFAULT_LIMIT})`),
        offset: z.number().int().min(0).optional().describe('skip the longest N segments (the next page)'),
        ...sourceArgs,
      },
      outputSchema: {
        traceId: z.string(),
        durationMs: z.number(),
        segments: z.array(
          z.object({
            spanId: z.string(),
            service: z.string(),
            name: z.string(),
            startOffsetMs: z.number(),
            endOffsetMs: z.number(),
            ms: z.number(),
            selfMs: z.number(),
          }),
        ),
        topSpans: z.array(z.object({ spanId: z.string(), service: z.string(), name: z.string(), criticalMs: z.number(), share: z.number() })),
        truncated: z.object({ shown: z.number(), offset: z.number(), total: z.number(), next: nextCallSchema.optional(), hint: z.string() }).optional(),
      },
    },
    guarded(async (args) => {
      const { trace } = await loadTrace(ctx, args.traceId, args);
      const sections = criticalPath(trace);
      const byId = spansById(trace);
      const limit = args.limit ?? DEFAULT_LIMIT;
      const offset = args.offset ?? 0;
      // Keep the longest segments when cutting, then show them in time order.
      const kept = [...sections]
        .sort((a, b) => Number(b.endNs - b.startNs - (a.endNs - a.startNs)))
        .slice(offset, offset + limit)
        .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
      const segments = kept.map((sec) => {
        const span = byId.get(sec.spanId);
        return {
          spanId: sec.spanId,
          service: span?.service ?? 'unknown',
          name: span?.name ?? '',
          startOffsetMs: offsetMs(trace, sec.startNs),
          endOffsetMs: offsetMs(trace, sec.endNs),
          ms: roundMs(Number(sec.endNs - sec.startNs) / 1e6),
          selfMs: span ? roundMs(selfTimeMs(span)) : 0,
        };
      });
      const topSpans = criticalPathShares(trace, sections)
        .sort((a, b) => b.criticalMs - a.criticalMs)
        .slice(0, 10)
        .map((s) => ({ spanId: s.spanId, service: s.service, name: s.name, criticalMs: roundMs(s.criticalMs), share: Math.round(s.share * 1000) / 1000 }));
      const out: Record<string, unknown> = { traceId: trace.traceId, durationMs: roundMs(trace.durationMs), segments, topSpans };
      if (sections.length > segments.length) {
        const rest = sections.length - offset - segments.length;
        out.truncated = {
          shown: segments.length,
          offset,
          total: sections.length,
          ...(rest > 0 ? { next: nextCall('get_critical_path', { ...args, offset: offset + segments.length, limit }) } : {}),
          hint: rest > 0 ? `segments ${offset + 1}-${offset + segments.length} by length are shown; call next for the ${Math.min(rest, limit)} next longest (${rest} left)` : 'the shortest segments are shown; the longer ones are at lower offsets',
        };
      }
      return ok(out);
    }),
  );
}
