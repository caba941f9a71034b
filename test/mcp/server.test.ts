import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, McpSession, REPO_ROOT, structured, text } from './helpers.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'; // examples/: POST /api/orders, 5 spans, 4 failing
const DEEP = 'cf7127d7a6dad6fe1558a1952b5421bb'; // corpus/otel-node/a-default: 24 spans, 8 levels (real OpenTelemetry + pino output)
const DEEP_FILES = ['corpus/otel-node/a-default/*.log'];
const TOOLS = ['diff_traces', 'get_critical_path', 'get_service_map', 'get_span_details', 'get_trace', 'get_trace_errors', 'search_traces', 'tail_errors'];

const showJson = (id: string, files: string[]) => JSON.parse(spawnSync(process.execPath, [BIN, 'show', id, ...files, '--json'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout);

describe('mcp-trace mcp over stdio, driven by the SDK client (needs npm run build)', () => {
  let mcp: McpSession;

  beforeAll(async () => {
    mcp = await McpSession.start(['examples/*.log*']);
  }, 20_000);
  afterAll(async () => {
    await mcp?.close();
    // Every tool ran on the corpus, and every one was seen failing with a message.
    expect([...mcp.called.ok].sort()).toEqual(TOOLS);
    expect([...mcp.called.failed].sort()).toEqual(TOOLS);
  });

  it('lists the eight tools, each with a size cap in its description and an output schema', async () => {
    expect(mcp.toolList.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of mcp.toolList) {
      expect(t.description).toMatch(/size cap/i);
      expect(t.outputSchema).toBeDefined();
    }
  });

  it('get_service_map gives the edges map prints, from the same assembly', async () => {
    const out = structured(await mcp.call('get_service_map', {}));
    const cli = JSON.parse(spawnSync(process.execPath, [BIN, 'map', 'examples/*.log*', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout);
    expect(out.traces).toBe(cli.traces);
    const key = (e: { caller: string; callee: string; calls: number }) => `${e.caller}>${e.callee}:${e.calls}`;
    expect(out.edges.map(key).sort()).toEqual(cli.edges.map(key).sort());
    expect(out.next).toBeUndefined();
  });

  it('search_traces lists compact rows and pages with the exact next call', async () => {
    const first = structured(await mcp.call('search_traces', { errors: true, limit: 2, sort: 'errors' }));
    expect(first.rows).toHaveLength(2);
    expect(Object.keys(first.rows[0]).sort()).toEqual(['durationMs', 'errors', 'id', 'root', 'services', 'spans', 'start']);
    expect(first.rows.every((row: any) => row.errors > 0)).toBe(true);
    expect(first.next).toEqual({ tool: 'search_traces', arguments: { errors: true, limit: 2, sort: 'errors', offset: 2 } });
    const seen = [...first.rows];
    let next = first.next;
    while (next) {
      const page = structured(await mcp.call(next.tool, next.arguments));
      seen.push(...page.rows);
      next = page.next;
    }
    expect(seen).toHaveLength(first.matched);
    expect(new Set(seen.map((r: any) => r.id)).size).toBe(first.matched);
    const all = structured(await mcp.call('search_traces', { limit: 200 }));
    expect(all.rows.map((row: any) => row.id)).toContain(TRACE);
    // A window on files picks traces by their start: the examples are from 2025-11-25.
    expect(structured(await mcp.call('search_traces', { since: '1h' })).rows).toEqual([]);
    const day = structured(await mcp.call('search_traces', { from: '2025-11-25T00:00:00Z', to: '2025-11-26T00:00:00Z', limit: 200 }));
    expect(day.matched).toBe(all.matched);
  });

  it('get_trace returns the flat depth-first list show --json has, with critical flags and the error origin', async () => {
    const out = structured(await mcp.call('get_trace', { traceId: TRACE }));
    const cli = showJson(TRACE, ['examples/*.log*']);
    expect(out.spans.map((s: any) => s.id)).toEqual(cli.spans.map((s: any) => s.spanId));
    expect(out.spans[0].parent).toBeNull();
    expect(out.spans[0].path).toBe(`${out.spans[0].service}:${out.spans[0].name}`);
    expect(out.spans.find((s: any) => s.id === '6afeecf5bf4859f0').path).toBe(
      'api-gateway:POST /api/orders > order-service:POST /v1/orders > payment-service:POST /v1/charges > fraud-check:POST /v1/score',
    );
    expect(out.spans.some((s: any) => s.critical)).toBe(true);
    expect(out.errorOrigin).toMatchObject({ id: '6afeecf5bf4859f0' });
    expect(out.truncated).toBeUndefined();
  });

  it('a cut get_trace keeps the error chain, marks each cut point, and its next calls return every other span once', async () => {
    const full = structured(await mcp.call('get_trace', { traceId: TRACE }));
    const cut = structured(await mcp.call('get_trace', { traceId: TRACE, maxSpans: 2 }));
    expect(cut.spans.map((s: any) => s.id)).toEqual(['c4a117dd44cb420b', 'a1cb41fe32068a27']);
    expect(cut.spans[1].hidden).toEqual({ spans: 3, errors: 2 });
    expect(cut.truncated).toMatchObject({ shown: 2, total: 5, omitted: 3, cutPoints: 1 });
    // The cut subtrees' roots, the failing one first: payment-service (2 errors), inventory-service.
    expect(cut.truncated.next).toEqual({ tool: 'get_trace', arguments: { traceId: TRACE, maxSpans: 2, expand: ['cc5e08f47e2f3b16', 'adb0fd7a5debd8d5'] } });

    const ids = new Map<string, number>();
    const queue = [cut];
    while (queue.length > 0) {
      const page = queue.shift()!;
      for (const s of page.spans) ids.set(s.id, (ids.get(s.id) ?? 0) + 1);
      if (page.truncated) queue.push(structured(await mcp.call(page.truncated.next.tool, page.truncated.next.arguments)));
    }
    expect([...ids.keys()].sort()).toEqual(full.spans.map((s: any) => s.id).sort());
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
  });

  it('on real OpenTelemetry logs 8 levels deep, paths are shortened and following next calls gives every span once', async () => {
    const cli = showJson(DEEP, DEEP_FILES);
    const out = structured(await mcp.call('get_trace', { traceId: DEEP, files: DEEP_FILES, maxSpans: 10 }));
    expect(out.spanCount).toBe(cli.spanCount);
    expect(out.spans).toHaveLength(10);
    // Level by level from the root: nothing deeper is shown while a shallower span is cut.
    const cutDepth = Math.min(...out.spans.filter((s: any) => s.hidden).map((s: any) => s.depth));
    expect(Math.max(...out.spans.map((s: any) => s.depth))).toBeLessThanOrEqual(cutDepth + 1);
    const seen = new Map<string, number>();
    const queue = [out];
    while (queue.length > 0) {
      const page = queue.shift()!;
      for (const s of page.spans) {
        seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
        if (s.depth >= 5) expect(s.path).toMatch(new RegExp(`^api-gateway:POST /api/orders > … ${s.depth - 3} more > [^>]+ > [^>]+ > [^>]+$`));
      }
      if (page.truncated) queue.push(structured(await mcp.call(page.truncated.next.tool, page.truncated.next.arguments)));
    }
    expect([...seen.keys()].sort()).toEqual(cli.spans.map((s: any) => s.spanId).sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('get_trace_errors gives the chain from origin to root with error lines and file:line', async () => {
    const out = structured(await mcp.call('get_trace_errors', { traceId: TRACE }));
    expect(out.origin.id).toBe('6afeecf5bf4859f0');
    expect(out.chain.map((c: any) => c.id)).toEqual(['6afeecf5bf4859f0', 'cc5e08f47e2f3b16', 'a1cb41fe32068a27', 'c4a117dd44cb420b']);
    expect(out.origin.firstErrorLine).toMatch(/FeatureStoreUnavailable/);
    expect(out.origin.where).toMatch(/^examples\/fraud-check\.log:\d+$/);
    expect(out.otherFailingCount).toBe(0);
    expect(out.outlivedParent).toEqual([]);
  });

  it('get_critical_path stays small and pages by length', async () => {
    const r = await mcp.call('get_critical_path', { traceId: TRACE });
    const out = structured(r);
    expect(out.segments.length).toBeGreaterThan(2);
    expect(out.segments[0]).toMatchObject({ service: 'api-gateway', selfMs: expect.any(Number), startOffsetMs: 0 });
    expect(text(r).length).toBeLessThan(10_000);
    const cut = structured(await mcp.call('get_critical_path', { traceId: TRACE, limit: 1 }));
    expect(cut.truncated).toMatchObject({ shown: 1, offset: 0, total: out.segments.length });
    const second = structured(await mcp.call(cut.truncated.next.tool, cut.truncated.next.arguments));
    const ms = (o: any) => o.segments[0].ms;
    expect(ms(second)).toBeLessThanOrEqual(ms(cut));
    expect(Math.max(...out.segments.map((s: any) => s.ms))).toBe(ms(cut));
  });

  it('get_span_details gives every field and log line, and unknown ids apart', async () => {
    const ids = ['c4a117dd44cb420b', '6afeecf5bf4859f0'];
    const out = structured(await mcp.call('get_span_details', { traceId: TRACE, spanIds: [...ids, 'nope'] }));
    expect(out.spans.map((s: any) => s.id)).toEqual(ids);
    expect(out.notFound).toEqual(['nope']);
    expect(out.spans[0].lines.length).toBe(out.spans[0].lineCount);
    expect(out.spans[1].lines.some((l: any) => /FeatureStoreUnavailable/.test(l.error ?? ''))).toBe(true);
    expect(out.spans[0].lines[0]).toMatchObject({ message: expect.any(String), where: expect.stringMatching(/^examples\/api-gateway\.log:\d+$/) });
    expect(out.next).toBeUndefined();
    const page = structured(await mcp.call('get_span_details', { traceId: TRACE, spanIds: [ids[0]], lineOffset: 1 }));
    expect(page.spans[0].lines[0]).toEqual(out.spans[0].lines[1]);
  });

  it('diff_traces finds what diff --json finds: the lead, the changed groups, the change in duration', async () => {
    const [a, b] = ['0af7651916cd43dd8448eb211c80319c', 'd3b07384d113edec49eaa6238ad5ff00']; // examples/README.md: the same order, fast and slow
    const out = structured(await mcp.call('diff_traces', { traceA: a, traceB: b }));
    const cli = JSON.parse(spawnSync(process.execPath, [BIN, 'diff', a, b, 'examples/*.log*', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout);
    expect(out.durationChangeMs).toBe(cli.durationChangeMs);
    expect(out.groupsChanged).toBe(cli.changedGroups);
    expect(out.lead).toEqual({ path: 'api-gateway:POST /api/orders > order-service:POST /v1/orders', contributionMs: cli.lead.contributionMs, selfChangeMs: cli.lead.selfChangeMs });
    expect(out.changed.map((g: any) => g.path).sort()).toEqual(['api-gateway:POST /api/orders', 'api-gateway:POST /api/orders > order-service:POST /v1/orders']);
    const order = out.changed.find((g: any) => g.service === 'order-service');
    expect(order.b.selfMs - order.a.selfMs).toBeCloseTo(cli.lead.selfChangeMs, 2);
    // Largest part of the change in duration first.
    expect(Math.abs(out.changed[0].contributionMs)).toBeGreaterThanOrEqual(Math.abs(out.changed[1].contributionMs));
    const paged = structured(await mcp.call('diff_traces', { traceA: a, traceB: b, limit: 1 }));
    expect(paged.next).toEqual({ tool: 'diff_traces', arguments: { traceA: a, traceB: b, limit: 1, offset: 1 } });
    expect(structured(await mcp.call(paged.next.tool, paged.next.arguments)).changed).toEqual([out.changed[1]]);
    const missing = await mcp.call('diff_traces', { traceA: a, traceB: 'ffffffffffffffffffffffffffffffff' });
    expect(text(missing)).toMatch(/^trace ffffffffffffffffffffffffffffffff not found/);
  });

  it('tail_errors on sources nobody writes to says what it follows and returns no errors', async () => {
    const out = structured(await mcp.call('tail_errors', { seconds: 5 }));
    expect(out.following).toMatch(/followed/);
    expect(out.errors).toEqual([]);
    expect(out.matched).toBe(0);
  });

  it('an unknown trace, a bad argument or a missing file is an error result with a message, and the server lives on', async () => {
    const unknown = await mcp.call('get_trace', { traceId: 'ffffffffffffffffffffffffffffffff' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/^trace ffffffffffffffffffffffffffffffff not found in 5 files \(\d+ lines read\); list trace ids with search_traces$/);
    const bad = await mcp.call('search_traces', { minDuration: 'soon' });
    expect(text(bad)).toBe("minDuration takes a duration like 500ms or 2s, not 'soon'");
    const window = await mcp.call('get_service_map', { since: 'lately' });
    expect(text(window)).toMatch(/^since takes a duration like 30m, 1h or 2d, not 'lately'$/);
    const missing = await mcp.call('get_trace_errors', { traceId: TRACE, files: ['no/such/file.log'] });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/no\/such\/file\.log/);
    const stdin = await mcp.call('get_critical_path', { traceId: TRACE, files: ['-'] });
    expect(text(stdin)).toMatch(/standard input.*carries the MCP protocol/);
    const tooMany = await mcp.callRaw('get_span_details', { traceId: TRACE, spanIds: Array.from({ length: 21 }, (_, i) => String(i)) });
    expect(tooMany.isError).toBe(true);
    expect(text(tooMany)).toMatch(/spanIds/);
    const wrongType = await mcp.callRaw('tail_errors', { seconds: 'ten' });
    expect(wrongType.isError).toBe(true);
    expect(text(wrongType)).toMatch(/seconds/);
    const badExpand = await mcp.call('get_trace', { traceId: TRACE, expand: ['0000000000000000'] });
    expect(text(badExpand)).toMatch(/no span 0000000000000000 in trace/);
    expect((await mcp.call('get_trace', { traceId: TRACE })).isError).toBeFalsy();
    expect(mcp.stderr).not.toMatch(/at .+\.js:\d+/); // no stack traces
  });
});
