import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { selfTimeMs } from '../../analyse/self-time.js';
import type { LogRecord, Span, Trace } from '../../types.js';
import { roundMs } from '../../render/json.js';
import { isoTime, loadTrace, offsetMs, pathOf, spansById, type McpContext } from '../engine.js';
import { nextCall, nextCallSchema } from '../next-call.js';
import { guarded, ok } from '../result.js';
import { sourceArgs } from '../sources.js';

const MAX_SPAN_IDS = 20;
const MAX_LINES_PER_SPAN = 200;

export function registerGetSpanDetails(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_span_details',
    {
      description:
        'Every field of the named spans and each of their log lines (time, level, message, error, stack, http, grpc, attributes, file:line). ' +
        `Size cap: at most ${MAX_SPAN_IDS} span ids per call and ${MAX_LINES_PER_SPAN} log lines per span; a cut span has linesOmitted, and \`next\` is the call for its following lines (lineOffset).`,
      inputSchema: {
        traceId: z.string().min(1).describe('trace id as logged'),
        spanIds: z.array(z.string()).min(1).max(MAX_SPAN_IDS).describe(`span ids from get_trace (max ${MAX_SPAN_IDS})`),
        lineOffset: z.number().int().min(0).optional().describe("skip each span's first lines (the next page of a cut span)"),
        ...sourceArgs,
      },
      outputSchema: {
        traceId: z.string(),
        spans: z.array(z.object({ id: z.string() }).passthrough()),
        notFound: z.array(z.string()),
        next: nextCallSchema.optional(),
      },
    },
    guarded(async (args) => {
      const { trace } = await loadTrace(ctx, args.traceId, args);
      const lineOffset = args.lineOffset ?? 0;
      const byId = spansById(trace);
      const spans: Record<string, unknown>[] = [];
      const notFound: string[] = [];
      for (const id of args.spanIds) {
        const matches = trace.spans.filter((s) => s.spanId === id);
        if (matches.length === 0) notFound.push(id);
        for (const s of matches) spans.push(details(trace, byId, s, lineOffset));
      }
      const cut = [...new Set(spans.filter((s) => s.linesOmitted !== undefined).map((s) => s.id as string))];
      const next = cut.length > 0 ? { next: nextCall('get_span_details', { ...args, spanIds: cut, lineOffset: lineOffset + MAX_LINES_PER_SPAN }) } : {};
      return ok({ traceId: trace.traceId, spans, notFound, ...next });
    }),
  );
}

function details(trace: Trace, byId: ReadonlyMap<string, Span>, s: Span, lineOffset: number): Record<string, unknown> {
  const lines = s.records.slice(lineOffset, lineOffset + MAX_LINES_PER_SPAN).map(line);
  return {
    id: s.spanId,
    parent: s.parentSpanId,
    path: pathOf(byId, s),
    service: s.service,
    name: s.name,
    kind: s.kind,
    host: s.host,
    startUnixNano: s.startNs.toString(),
    startOffsetMs: offsetMs(trace, s.startNs),
    durationMs: roundMs(s.durationMs),
    selfMs: roundMs(selfTimeMs(s)),
    depth: s.depth,
    children: s.children.map((c) => c.spanId),
    error: s.error,
    errorMessage: s.errorMessage,
    errorOrigin: s.errorOrigin,
    warning: s.warning,
    inferredParent: s.inferredParent,
    inferredBy: s.inferredBy,
    placeholder: s.placeholder,
    clockOffsetMs: roundMs(s.clockOffsetMs),
    skewShiftMs: roundMs(s.skewShiftMs),
    outlivesParent: s.outlivesParent,
    ...(s.http ? { http: s.http } : {}),
    ...(s.grpc ? { grpc: s.grpc } : {}),
    lineCount: s.records.length,
    ...(lineOffset > 0 ? { lineOffset } : {}),
    lines,
    ...(s.records.length > lineOffset + lines.length ? { linesOmitted: s.records.length - lineOffset - lines.length } : {}),
  };
}

function line(r: LogRecord): Record<string, unknown> {
  return {
    time: r.timeNs === null ? null : isoTime(r.timeNs),
    timeUnixNano: r.timeNs === null ? null : r.timeNs.toString(),
    level: r.level,
    message: r.message,
    ...(r.error !== null ? { error: r.error } : {}),
    ...(r.errorStack ? { stack: r.errorStack } : {}),
    ...(r.durationMs !== null ? { durationMs: r.durationMs } : {}),
    ...(r.http ? { http: r.http } : {}),
    ...(r.grpc ? { grpc: r.grpc } : {}),
    attributes: JSON.parse(JSON.stringify(r.attributes, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as unknown,
    where: `${r.origin}:${r.lineNo}`,
  };
}
