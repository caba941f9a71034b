import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { recordErrorReason } from '../../assemble/span-errors.js';
import type { Span, Trace } from '../../types.js';
import { ancestors, loadTrace, offsetMs, spansById, type McpContext } from '../engine.js';
import { nextCall, nextCallSchema } from '../next-call.js';
import { guarded, ok } from '../result.js';
import { roundMs } from '../../render/json.js';
import { sourceArgs } from '../sources.js';

const MAX_STACK_CHARS = 2000;
const MAX_CHAIN = 25;
const MAX_IDS = 50;
const CUT_MARK = '… (cut)';

const failing = z.object({
  id: z.string(),
  service: z.string(),
  name: z.string(),
  startOffsetMs: z.number(),
  error: z.boolean(),
  errorMessage: z.string().nullable(),
  firstErrorLine: z.string().nullable(),
  stack: z.string().nullable(),
  where: z.string().nullable(),
});

export function registerGetTraceErrors(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_trace_errors',
    {
      description:
        "Where a trace's errors started: the error origin and the chain of spans from it up to the root, each with its first error line, stack and file:line; " +
        'the other failing spans; and the spans that went on working after their parent gave up (a caller timed out, its callee did not stop). ' +
        `Size cap: the ${MAX_CHAIN} chain entries nearest the origin, stacks cut to ${MAX_STACK_CHARS} characters, ${MAX_IDS} ids in each list; \`next\` (get_span_details) gives cut stacks whole.`,
      inputSchema: {
        traceId: z.string().min(1).describe('trace id as logged'),
        ...sourceArgs,
      },
      outputSchema: {
        traceId: z.string(),
        errorCount: z.number(),
        origin: failing.nullable(),
        chain: z.array(failing),
        chainOmitted: z.number().optional(),
        otherFailingSpans: z.array(z.string()),
        otherFailingCount: z.number(),
        outlivedParent: z.array(z.object({ id: z.string(), service: z.string(), name: z.string(), parent: z.string().nullable(), msAfterParentEnded: z.number() })),
        next: nextCallSchema.optional(),
        note: z.string().optional(),
      },
    },
    guarded(async (args) => {
      const { trace } = await loadTrace(ctx, args.traceId, args);
      const origin = trace.spans.find((s) => s.errorOrigin) ?? null;
      const byId = spansById(trace);
      const fullChain = origin ? ancestors(byId, origin) : [];
      const chain = fullChain.slice(0, MAX_CHAIN).map((s) => describe(trace, s));
      const inChain = new Set(fullChain.map((s) => s.spanId));
      const others = trace.spans.filter((s) => s.error && !inChain.has(s.spanId)).map((s) => s.spanId);
      const outlived = trace.spans.filter((s) => s.outlivesParent).slice(0, MAX_IDS).map((s) => {
        const parent = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
        return { id: s.spanId, service: s.service, name: s.name, parent: s.parentSpanId, msAfterParentEnded: parent ? roundMs(Number(s.endNs - parent.endNs) / 1e6) : 0 };
      });
      const cutStacks = chain.filter((c) => c.stack?.endsWith(CUT_MARK)).map((c) => c.id);
      return ok({
        traceId: trace.traceId,
        errorCount: trace.errorCount,
        origin: chain[0] ?? null,
        chain,
        ...(fullChain.length > chain.length ? { chainOmitted: fullChain.length - chain.length } : {}),
        otherFailingSpans: others.slice(0, MAX_IDS),
        otherFailingCount: others.length,
        outlivedParent: outlived,
        ...(cutStacks.length > 0 ? { next: nextCall('get_span_details', { ...args, spanIds: cutStacks.slice(0, 20) }) } : {}),
        ...(origin ? {} : { note: 'no span failed in this trace' }),
      });
    }),
  );
}

function describe(trace: Trace, s: Span) {
  // The span's own rule for what counts as an error line (levels, error fields, HTTP, gRPC, status).
  const line = s.records.find((r) => recordErrorReason(r) !== null);
  const stack = s.records.find((r) => r.errorStack)?.errorStack ?? null;
  return {
    id: s.spanId,
    service: s.service,
    name: s.name,
    startOffsetMs: offsetMs(trace, s.startNs),
    error: s.error,
    errorMessage: s.errorMessage,
    firstErrorLine: line ? (line.error ? `${line.message} (${line.error})` : line.message) : null,
    stack: stack === null ? null : stack.length > MAX_STACK_CHARS ? `${stack.slice(0, MAX_STACK_CHARS)}${CUT_MARK}` : stack,
    where: line ? `${line.origin}:${line.lineNo}` : null,
  };
}
