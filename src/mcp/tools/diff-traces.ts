import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { compareTraces, DEFAULT_THRESHOLD, type DiffNode } from '../../analyse/trace-diff.js';
import { roundMs } from '../../render/json.js';
import { loadTrace, type McpContext } from '../engine.js';
import { nextCall, nextCallSchema } from '../next-call.js';
import { guarded, ok } from '../result.js';
import { sourceArgs } from '../sources.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 60;
/** Span ids of a group shown per side; get_span_details reads them. */
const MAX_IDS = 3;

const figures = z.object({ count: z.number(), totalMs: z.number(), selfMs: z.number(), criticalMs: z.number(), errors: z.number() }).nullable();

const group = z.object({
  path: z.string(),
  service: z.string(),
  name: z.string(),
  depth: z.number(),
  a: figures,
  b: figures,
  totalChangeMs: z.number(),
  selfChangeMs: z.number(),
  contributionMs: z.number(),
  duration: z.string().nullable(),
  errorChange: z.string().nullable(),
  criticalPath: z.string().nullable(),
  countChanged: z.boolean(),
  spanIdsA: z.array(z.string()),
  spanIdsB: z.array(z.string()),
});

export function registerDiffTraces(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'diff_traces',
    {
      description:
        'Compare two traces of one operation (as `mcp-trace diff` does): A is the reference, B the one looked at. Spans are grouped by service, name and callee; ' +
        'per group the figures on each side, the change in total and self time, its part of the change in duration (contributionMs, from the critical path), ' +
        `new/removed groups, errors that appeared or went away; the lead (the group that moved the duration most) and services by self-time change. Changes count beyond ${Math.round(DEFAULT_THRESHOLD.ratio * 100)}% and ${DEFAULT_THRESHOLD.ms}ms. ` +
        `Size cap: \`limit\` changed groups (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}), largest contribution first, ${MAX_IDS} span ids a side, 10 services; \`next\` pages on.`,
      inputSchema: {
        traceA: z.string().min(1).describe('the reference trace id'),
        traceB: z.string().min(1).describe('the trace to look at'),
        limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe(`changed groups to return (default ${DEFAULT_LIMIT})`),
        offset: z.number().int().min(0).optional().describe('skip this many changed groups first (the next page)'),
        ...sourceArgs,
      },
      outputSchema: {
        a: z.object({ traceId: z.string(), durationMs: z.number(), spanCount: z.number(), errorCount: z.number() }),
        b: z.object({ traceId: z.string(), durationMs: z.number(), spanCount: z.number(), errorCount: z.number() }),
        durationChangeMs: z.number(),
        duration: z.string().nullable(),
        lead: z.object({ path: z.string(), contributionMs: z.number(), selfChangeMs: z.number() }).nullable(),
        groupsCompared: z.number(),
        groupsChanged: z.number(),
        changed: z.array(group),
        services: z.array(z.object({ service: z.string(), aSelfMs: z.number(), bSelfMs: z.number(), changeMs: z.number() })),
        next: nextCallSchema.optional(),
      },
    },
    guarded(async (args) => {
      // Both from the cache when an agent looked at them a moment ago.
      const { trace: a } = await loadTrace(ctx, args.traceA, args);
      const { trace: b } = await loadTrace(ctx, args.traceB, args);
      const { diff } = compareTraces(a, b);
      const paths = pathsOf(diff.roots);
      const changedNodes = diff.nodes.filter((n) => n.changed).sort((x, y) => Math.abs(y.contributionMs) - Math.abs(x.contributionMs));
      const limit = args.limit ?? DEFAULT_LIMIT;
      const offset = args.offset ?? 0;
      const page = changedNodes.slice(offset, offset + limit);
      const side = (t: typeof a) => ({ traceId: t.traceId, durationMs: roundMs(t.durationMs), spanCount: t.spans.length, errorCount: t.errorCount });
      const out: Record<string, unknown> = {
        a: side(a),
        b: side(b),
        durationChangeMs: roundMs(diff.durationChangeMs),
        duration: diff.duration,
        lead: diff.lead ? { path: paths.get(diff.lead.node), contributionMs: roundMs(diff.lead.contributionMs), selfChangeMs: roundMs(diff.lead.selfChangeMs) } : null,
        groupsCompared: diff.nodes.length,
        groupsChanged: changedNodes.length,
        changed: page.map((n) => ({
          path: paths.get(n),
          service: n.service,
          name: n.name,
          depth: n.depth,
          a: rounded(n.a),
          b: rounded(n.b),
          totalChangeMs: roundMs(n.totalChangeMs),
          selfChangeMs: roundMs(n.selfChangeMs),
          contributionMs: roundMs(n.contributionMs),
          duration: n.duration,
          errorChange: n.errorChange,
          criticalPath: n.criticalPath,
          countChanged: n.countChanged,
          spanIdsA: n.spanIdsA.slice(0, MAX_IDS),
          spanIdsB: n.spanIdsB.slice(0, MAX_IDS),
        })),
        services: diff.services.filter((s) => s.changed).slice(0, 10).map((s) => ({ service: s.service, aSelfMs: roundMs(s.aSelfMs), bSelfMs: roundMs(s.bSelfMs), changeMs: roundMs(s.changeMs) })),
      };
      if (changedNodes.length > offset + page.length) out.next = nextCall('diff_traces', { ...args, offset: offset + page.length, limit });
      return ok(out);
    }),
  );
}

function rounded(f: DiffNode['a']) {
  return f === null ? null : { count: f.count, totalMs: roundMs(f.totalMs), selfMs: roundMs(f.selfMs), criticalMs: roundMs(f.criticalMs), errors: f.errors };
}

/**
 * `service:name` from the top group down, shortened as get_trace's paths are (the top, then the
 * three nearest): groups have no parent link, so the parents are found once, top down.
 */
function pathsOf(roots: readonly DiffNode[]): { get(node: DiffNode): string } {
  const parent = new Map<DiffNode, DiffNode>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.children) {
      parent.set(child, node);
      stack.push(child);
    }
  }
  return {
    get(node: DiffNode): string {
      const chain: DiffNode[] = [];
      for (let n: DiffNode | undefined = node; n; n = parent.get(n)) chain.push(n);
      const names = chain.reverse().map((n) => `${n.service}:${n.name}`);
      return names.length <= 5 ? names.join(' > ') : [names[0], `… ${names.length - 4} more`, ...names.slice(-3)].join(' > ');
    },
  };
}
