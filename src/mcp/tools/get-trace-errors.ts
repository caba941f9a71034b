import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { recordErrorReason } from '../../assemble/span-errors.js';
import type { Span, Trace } from '../../types.js';
import { ancestors, loadTrace, offsetMs, spansById, type McpContext } from '../engine.js';
import { guarded, ok } from '../result.js';

const MAX_STACK_CHARS = 2000;

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
        "Where a trace's errors started: the error origin and the chain of spans from it up to the root, each with its first error line and stack. " +
        `Size cap: one entry per ancestor of the origin; stacks cut to ${MAX_STACK_CHARS} characters (get_span_details gives every line whole).`,
      inputSchema: {
        traceId: z.string().min(1).describe('trace id as logged'),
        files: z.array(z.string()).optional().describe('log files or globs to read instead of the start-up sources'),
      },
      outputSchema: {
        traceId: z.string(),
        errorCount: z.number(),
        origin: failing.nullable(),
        chain: z.array(failing),
        otherFailingSpans: z.array(z.string()),
        note: z.string().optional(),
      },
    },
    guarded(async (args) => {
      const { trace } = await loadTrace(ctx, args.traceId, args.files);
      const origin = trace.spans.find((s) => s.errorOrigin) ?? null;
      const chain = origin ? ancestors(spansById(trace), origin).map((s) => describe(trace, s)) : [];
      const inChain = new Set(chain.map((c) => c.id));
      return ok({
        traceId: trace.traceId,
        errorCount: trace.errorCount,
        origin: chain[0] ?? null,
        chain,
        otherFailingSpans: trace.spans.filter((s) => s.error && !inChain.has(s.spanId)).map((s) => s.spanId),
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
    stack: stack === null ? null : stack.length > MAX_STACK_CHARS ? `${stack.slice(0, MAX_STACK_CHARS)}… (cut)` : stack,
    where: line ? `${line.origin}:${line.lineNo}` : null,
  };
}
