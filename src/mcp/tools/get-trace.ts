import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { criticalPath, criticalPathIds } from '../../analyse/critical-path.js';
import { roundMs } from '../../render/json.js';
import { isoTime, loadTrace, offsetMs, pathOf, spansById, type McpContext } from '../engine.js';
import { nextCall, nextCallSchema } from '../next-call.js';
import { guarded, ok } from '../result.js';
import { sourceArgs, ToolError } from '../sources.js';
import { expansionRoots, selectSpans } from '../span-selection.js';

/** ~250 bytes a span: 60 spans keep a result near 16 KB, whatever the trace's size. */
const DEFAULT_MAX_SPANS = 60;
const HARD_MAX_SPANS = 500;
const MAX_EXPAND = 20;
const MAX_WARNINGS = 10;

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
  hidden: z.object({ spans: z.number(), errors: z.number() }).optional(),
});

export function registerGetTrace(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_trace',
    {
      description:
        'Rebuild one trace (as `mcp-trace show` does, clock skew corrected) and return its spans as a flat depth-first list: ' +
        'id, parent, path (service:name chain), startOffsetMs, durationMs, error, inferred/inferredBy, critical; plus warnings and errorOrigin. ' +
        `Size cap: maxSpans spans (default ${DEFAULT_MAX_SPANS}, max ${HARD_MAX_SPANS}, ~250 bytes each): the error origin's chain first, then level by level from the root. ` +
        `A span whose children were cut carries \`hidden\` {spans, errors}; \`truncated.next\` is the call that shows the cut subtrees (expand: their span ids, at most ${MAX_EXPAND}).`,
      inputSchema: {
        traceId: z.string().min(1).describe('trace id as logged (32/16 hex, UUID, Datadog decimal…)'),
        expand: z.array(z.string()).min(1).max(MAX_EXPAND).optional().describe('only the subtrees under these span ids (cut points from an earlier call)'),
        maxSpans: z.number().int().min(1).max(HARD_MAX_SPANS).optional().describe(`spans to return (default ${DEFAULT_MAX_SPANS})`),
        ...sourceArgs,
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
        expanded: z.array(z.string()).optional(),
        notFound: z.array(z.string()).optional(),
        spans: z.array(span),
        truncated: z.object({ shown: z.number(), total: z.number(), omitted: z.number(), cutPoints: z.number(), next: nextCallSchema, hint: z.string() }).optional(),
      },
    },
    guarded(async (args) => {
      const { trace } = await loadTrace(ctx, args.traceId, args);
      const critical = criticalPathIds(criticalPath(trace));
      const byId = spansById(trace);
      const max = args.maxSpans ?? DEFAULT_MAX_SPANS;
      const { roots, unknown } = args.expand ? expansionRoots(trace, args.expand) : { roots: trace.roots, unknown: [] };
      if (roots.length === 0) throw new ToolError(`no span ${unknown.join(', ')} in trace ${trace.traceId}; take span ids from get_trace`);
      const { shown, hidden, cutRoots, total } = selectSpans(trace, roots, max);
      const origin = trace.spans.find((s) => s.errorOrigin);
      const warnings = trace.warnings.length > MAX_WARNINGS ? [...trace.warnings.slice(0, MAX_WARNINGS), `… ${trace.warnings.length - MAX_WARNINGS} more warnings`] : [...trace.warnings];
      const out: Record<string, unknown> = {
        traceId: trace.traceId,
        start: isoTime(trace.startNs),
        durationMs: roundMs(trace.durationMs),
        services: [...trace.services],
        structure: trace.structure,
        spanCount: trace.spans.length,
        errorCount: trace.errorCount,
        errorOrigin: origin ? { id: origin.spanId, path: pathOf(byId, origin), error: origin.errorMessage } : null,
        warnings,
        ...(args.expand ? { expanded: roots.map((r) => r.spanId) } : {}),
        ...(unknown.length > 0 ? { notFound: unknown } : {}),
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
          ...(hidden.has(s) ? { hidden: hidden.get(s) } : {}),
        })),
      };
      if (cutRoots.length > 0) {
        // The next call asks for the subtrees that were cut: the unshown children of cut points.
        const expand = cutRoots.slice(0, MAX_EXPAND).map((s) => s.spanId);
        const omitted = total - shown.length;
        out.truncated = {
          shown: shown.length,
          total,
          omitted,
          cutPoints: hidden.size,
          next: nextCall('get_trace', { ...args, expand, maxSpans: args.maxSpans }),
          hint:
            `${plural(omitted, 'span')} in ${plural(cutRoots.length, 'cut subtree')} (under the spans marked \`hidden\`, or asked for and not reached): call next for ` +
            (expand.length === cutRoots.length ? 'all of them' : `the ${expand.length} with the most errors and spans (then its own next)`) +
            (max < HARD_MAX_SPANS ? `, or raise maxSpans (max ${HARD_MAX_SPANS})` : '') +
            '; get_span_details reads single spans',
        };
      }
      return ok(out);
    }),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
