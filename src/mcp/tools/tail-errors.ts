import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { isoTime, type McpContext } from '../engine.js';
import { ERROR_TAIL_CAP, MAX_FOLLOWED, type SeenError } from '../error-tail.js';
import { guarded, ok } from '../result.js';
import { whereFor } from '../sources.js';
import { ToolError } from '../sources.js';

const DEFAULT_SECONDS = 60;
const MAX_SECONDS = 3600;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

const seen = z.object({
  seenAt: z.string(),
  time: z.string().nullable(),
  service: z.string().nullable(),
  traceId: z.string().nullable(),
  spanId: z.string().nullable(),
  level: z.string(),
  message: z.string(),
  error: z.string().nullable(),
  where: z.string(),
});

export function registerTailErrors(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'tail_errors',
    {
      description:
        'Error lines seen in the last N seconds on the followed sources (the server follows its start-up files like tail -F, or Loki live, from start-up), ' +
        'newest first, with their trace ids, plus one row per trace (errors, services): read a trace with get_trace_errors. ' +
        `\`files\` follows other files, from the moment of the first call. Size cap: \`limit\` errors (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}), ` +
        `messages cut at 300 characters; the server keeps the last ${ERROR_TAIL_CAP} error lines per followed source set (\`dropped\` counts older ones pushed out).`,
      inputSchema: {
        seconds: z.number().int().min(1).max(MAX_SECONDS).optional().describe(`how far back (default ${DEFAULT_SECONDS}, max ${MAX_SECONDS})`),
        service: z.string().optional().describe('only these services (comma-separated)'),
        limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe(`errors to return (default ${DEFAULT_LIMIT})`),
        files: z.array(z.string()).optional().describe('follow these files or globs instead of the start-up sources'),
      },
      outputSchema: {
        following: z.string(),
        followingSince: z.string(),
        seconds: z.number(),
        errors: z.array(seen),
        traces: z.array(z.object({ traceId: z.string(), errors: z.number(), services: z.array(z.string()), lastSeenAt: z.string() })),
        matched: z.number(),
        dropped: z.number(),
        note: z.string().optional(),
      },
    },
    guarded(async (args) => {
      const where = whereFor(ctx.startup, { files: args.files });
      if (where.kind === 'local' && where.args.includes('-')) throw new ToolError("'-' (standard input) cannot be followed: it carries the MCP protocol");
      const followed = await ctx.tails.follow(where);
      if (!followed) {
        if (where.kind === 'local' && where.args.length === 0) {
          throw new ToolError('nothing is followed: start the server with sources (mcp-trace mcp "logs/*.log", or --loki) or pass `files`');
        }
        throw new ToolError(`already following ${MAX_FOLLOWED} source sets, the most there can be; call tail_errors without \`files\` for the start-up sources`);
      }
      const { tail, fresh } = followed;
      const seconds = args.seconds ?? DEFAULT_SECONDS;
      const services = args.service?.split(',').map((s) => s.trim()).filter(Boolean);
      const matching = tail
        .since(Date.now() - seconds * 1000)
        .filter((e) => !services || (e.service !== null && services.includes(e.service)))
        .reverse();
      const limit = args.limit ?? DEFAULT_LIMIT;
      const shown = matching.slice(0, limit);
      const notes: string[] = [];
      if (fresh) notes.push(`started following ${tail.description} just now: errors written from now on will show; call again in a while`);
      if (tail.ended) notes.push(`the follow stopped: ${tail.ended}`);
      if (matching.length > shown.length) {
        notes.push(`${matching.length - shown.length} more errors matched; call tail_errors ${JSON.stringify({ ...args, limit: MAX_LIMIT })} or narrow seconds/service`);
      }
      return ok({
        following: tail.description,
        followingSince: new Date(tail.startedAtMs).toISOString(),
        seconds,
        errors: shown.map(toRow),
        traces: byTrace(matching),
        matched: matching.length,
        dropped: tail.dropped,
        ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
      });
    }),
  );
}

function toRow(e: SeenError) {
  return {
    seenAt: new Date(e.seenAtMs).toISOString(),
    time: e.timeNs === null ? null : isoTime(e.timeNs),
    service: e.service,
    traceId: e.traceId,
    spanId: e.spanId,
    level: e.level,
    message: e.message,
    error: e.error,
    where: e.where,
  };
}

/** Newest first (the errors come newest first); at most 20 traces. */
function byTrace(errors: readonly SeenError[]) {
  const traces = new Map<string, { traceId: string; errors: number; services: Set<string>; lastSeenAt: number }>();
  for (const e of errors) {
    if (e.traceId === null) continue;
    let t = traces.get(e.traceId);
    if (!t) traces.set(e.traceId, (t = { traceId: e.traceId, errors: 0, services: new Set(), lastSeenAt: e.seenAtMs }));
    t.errors++;
    if (e.service) t.services.add(e.service);
  }
  return [...traces.values()].slice(0, 20).map((t) => ({ traceId: t.traceId, errors: t.errors, services: [...t.services], lastSeenAt: new Date(t.lastSeenAt).toISOString() }));
}
