import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { LEVEL_RANK, type Span, type Trace } from '../../types.js';
import { loadTrace, offsetMs, type McpContext } from '../engine.js';
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
      const chain = origin ? ancestry(trace, origin).map((s) => describe(trace, s)) : [];
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

/** The span, its parent, … up to the root (origin first). */
function ancestry(trace: Trace, span: Span): Span[] {
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const out: Span[] = [];
  const seen = new Set<string>();
  let cur: Span | undefined = span;
  while (cur && !seen.has(cur.spanId)) {
    seen.add(cur.spanId);
    out.push(cur);
    cur = cur.parentSpanId === null ? undefined : byId.get(cur.parentSpanId);
  }
  return out;
}

function describe(trace: Trace, s: Span) {
  const line = s.records.find((r) => r.error !== null || (r.level !== null && LEVEL_RANK[r.level] >= LEVEL_RANK.error));
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
