import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { criticalPath, criticalPathIds } from '../../analyse/critical-path.js';
import { roundMs } from '../../render/json.js';
import { isoTime, loadTrace, offsetMs, pathOf, spansById, type McpContext } from '../engine.js';
import { guarded, ok } from '../result.js';

const DEFAULT_MAX_SPANS = 300;
const HARD_MAX_SPANS = 2000;

const span = z.object({
  id: z.string(),
  parent: z.string().nullable(),
  path: z.string(),
  service: z.string(),
  name: z.string(),
  depth: z.number(),
  startOffsetMs: z.number(),
  durationMs: z.number(),
  error: z.string().nullable().optional(),
  inferred: z.boolean(),
  inferredBy: z.string().optional(),
  critical: z.boolean(),
});

export function registerGetTrace(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_trace',
    {
      description:
        'Rebuild one trace (as `mcp-trace show` does, clock skew corrected) and return its spans as a flat depth-first list: ' +
        'id, parent, path (service:name chain), startOffsetMs, durationMs, error, inferred/inferredBy, critical; plus warnings and errorOrigin. ' +
        `Size cap: maxSpans spans (default ${DEFAULT_MAX_SPANS}, max ${HARD_MAX_SPANS}, ~300 bytes each); when cut, \`truncated\` gives the counts — raise maxSpans or read spans with get_span_details.`,
      inputSchema: {
        traceId: z.string().min(1).describe('trace id as logged (32/16 hex, UUID, Datadog decimal…)'),
        files: z.array(z.string()).optional().describe('log files or globs to read instead of the start-up sources'),
        maxSpans: z.number().int().min(1).max(HARD_MAX_SPANS).optional().describe(`spans to return (default ${DEFAULT_MAX_SPANS})`),
      },
      outputSchema: {
        traceId: z.string(),
        start: z.string(),
        durationMs: z.number(),
        services: z.array(z.string()),
        structure: z.string(),
        spanCount: z.number(),
        errorCount: z.number(),
        errorOrigin: z.object({ id: z.string(), path: z.string(), error: z.string().nullable() }).nullable(),
        warnings: z.array(z.string()),
        spans: z.array(span),
        truncated: z.object({ shown: z.number(), total: z.number(), omitted: z.number(), hint: z.string() }).optional(),
      },
    },
    guarded(async (args) => {
      const { trace } = await loadTrace(ctx, args.traceId, args.files);
      const critical = criticalPathIds(criticalPath(trace));
      const byId = spansById(trace);
      const max = args.maxSpans ?? DEFAULT_MAX_SPANS;
      const shown = trace.spans.slice(0, max);
      const origin = trace.spans.find((s) => s.errorOrigin);
      const out: Record<string, unknown> = {
        traceId: trace.traceId,
        start: isoTime(trace.startNs),
        durationMs: roundMs(trace.durationMs),
        services: [...trace.services],
        structure: trace.structure,
        spanCount: trace.spans.length,
        errorCount: trace.errorCount,
        errorOrigin: origin ? { id: origin.spanId, path: pathOf(byId, origin), error: origin.errorMessage } : null,
        warnings: [...trace.warnings],
        spans: shown.map((s) => ({
          id: s.spanId,
          parent: s.parentSpanId,
          path: pathOf(byId, s),
          service: s.service,
          name: s.name,
          depth: s.depth,
          startOffsetMs: offsetMs(trace, s.startNs),
          durationMs: roundMs(s.durationMs),
          ...(s.error ? { error: s.errorMessage } : {}),
          inferred: s.inferredParent,
          ...(s.inferredBy !== null ? { inferredBy: s.inferredBy } : {}),
          critical: critical.has(s.spanId),
        })),
      };
      if (shown.length < trace.spans.length) {
        out.truncated = {
          shown: shown.length,
          total: trace.spans.length,
          omitted: trace.spans.length - shown.length,
          hint: `call again with maxSpans ${Math.min(trace.spans.length, HARD_MAX_SPANS)}, or get_span_details for specific span ids`,
        };
      }
      return ok(out);
    }),
  );
}
