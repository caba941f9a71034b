import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/mcp-trace.js', import.meta.url));
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'; // examples/: POST /api/orders, 5 spans, 4 failing
const built = existsSync(fileURLToPath(new URL('../../dist/cli/commands/mcp.js', import.meta.url)));

type Result = Awaited<ReturnType<Client['callTool']>>;
const structured = (r: Result) => r.structuredContent as Record<string, any>;
const text = (r: Result) => (r.content as Array<{ type: string; text: string }>)[0]!.text;

describe('mcp-trace mcp over stdio (needs npm run build)', () => {
  let client: Client;

  beforeAll(async () => {
    if (!built) throw new Error('dist/ has no mcp command: run npm run build first (npm test does)');
    client = new Client({ name: 'test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', 'examples/*.log*'], cwd: ROOT, stderr: 'pipe' }));
  }, 20_000);
  afterAll(async () => client?.close());

  it('lists the six tools, each with a size cap and an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_critical_path', 'get_service_map', 'get_span_details', 'get_trace', 'get_trace_errors', 'search_traces']);
    for (const t of tools) {
      expect(t.description).toMatch(/cap/i);
      expect(t.outputSchema).toBeDefined();
    }
  });

  it('get_service_map gives the edges map prints, from the same assembly', async () => {
    const r = await client.callTool({ name: 'get_service_map', arguments: {} });
    expect(r.isError).toBeFalsy();
    const out = structured(r);
    const { spawnSync } = await import('node:child_process');
    const cli = JSON.parse(spawnSync(process.execPath, [BIN, 'map', 'examples/*.log*', '--json'], { cwd: ROOT, encoding: 'utf8' }).stdout);
    expect(out.traces).toBe(cli.traces);
    const key = (e: { caller: string; callee: string; calls: number }) => `${e.caller}>${e.callee}:${e.calls}`;
    expect(out.edges.map(key).sort()).toEqual(cli.edges.map(key).sort());
    expect(out.edges.find((e: { caller: string }) => e.caller === 'api-gateway')).toBeDefined();
  });

  it('search_traces lists compact rows and says when more matched', async () => {
    const r = await client.callTool({ name: 'search_traces', arguments: { errors: true, limit: 2, sort: 'errors' } });
    expect(r.isError).toBeFalsy();
    const out = structured(r);
    expect(out.rows).toHaveLength(2);
    expect(Object.keys(out.rows[0]).sort()).toEqual(['durationMs', 'errors', 'id', 'root', 'services', 'spans', 'start']);
    expect(out.rows.every((row: any) => row.errors > 0)).toBe(true);
    expect(out.note).toMatch(/limit/);
    const all = structured(await client.callTool({ name: 'search_traces', arguments: { limit: 200 } }));
    expect(all.rows.map((row: any) => row.id)).toContain(TRACE);
  });

  it('get_trace returns a flat depth-first span list with critical and error origin', async () => {
    const out = structured(await client.callTool({ name: 'get_trace', arguments: { traceId: TRACE } }));
    expect(out.traceId).toBe(TRACE);
    expect(out.spans).toHaveLength(out.spanCount);
    expect(out.spans[0].parent).toBeNull();
    expect(out.spans[0].path).toBe(`${out.spans[0].service}:${out.spans[0].name}`);
    expect(out.spans.some((s: any) => s.critical)).toBe(true);
    expect(out.errorOrigin).not.toBeNull();
    const cut = structured(await client.callTool({ name: 'get_trace', arguments: { traceId: TRACE, maxSpans: 2 } }));
    expect(cut.spans).toHaveLength(2);
    expect(cut.truncated).toMatchObject({ shown: 2, total: out.spanCount });
    expect(cut.truncated.hint).toMatch(/maxSpans/);
  });

  it('get_trace_errors gives the chain from origin to root', async () => {
    const out = structured(await client.callTool({ name: 'get_trace_errors', arguments: { traceId: TRACE } }));
    expect(out.origin).not.toBeNull();
    expect(out.chain[0].id).toBe(out.origin.id);
    expect(out.chain.at(-1).id).toBe(structured(await client.callTool({ name: 'get_trace', arguments: { traceId: TRACE } })).spans[0].id);
    expect(out.origin.firstErrorLine).toEqual(expect.any(String));
  });

  it('get_critical_path stays small', async () => {
    const r = await client.callTool({ name: 'get_critical_path', arguments: { traceId: TRACE } });
    const out = structured(r);
    expect(out.segments.length).toBeGreaterThan(0);
    expect(out.segments[0]).toMatchObject({ service: expect.any(String), selfMs: expect.any(Number), startOffsetMs: expect.any(Number) });
    expect(text(r).length).toBeLessThan(10_000);
    const cut = structured(await client.callTool({ name: 'get_critical_path', arguments: { traceId: TRACE, limit: 1 } }));
    if (out.segments.length > 1) expect(cut.truncated.total).toBe(out.segments.length);
  });

  it('get_span_details gives every field and log line', async () => {
    const trace = structured(await client.callTool({ name: 'get_trace', arguments: { traceId: TRACE } }));
    const ids = trace.spans.map((s: any) => s.id).slice(0, 2);
    const out = structured(await client.callTool({ name: 'get_span_details', arguments: { traceId: TRACE, spanIds: [...ids, 'nope'] } }));
    expect(out.spans.map((s: any) => s.id)).toEqual(ids);
    expect(out.notFound).toEqual(['nope']);
    expect(out.spans[0].lines.length).toBe(out.spans[0].lineCount);
    expect(out.spans[0].lines[0]).toMatchObject({ message: expect.any(String), where: expect.stringMatching(/examples\/.+:\d+$/) });
  });

  it('an unknown trace, a bad argument or a missing file is an error result, and the server lives on', async () => {
    const unknown = await client.callTool({ name: 'get_trace', arguments: { traceId: 'ffffffffffffffffffffffffffffffff' } });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/not found/);
    const bad = await client.callTool({ name: 'search_traces', arguments: { minDuration: 'soon' } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/minDuration/);
    const missing = await client.callTool({ name: 'get_trace', arguments: { traceId: TRACE, files: ['no/such/file.log'] } });
    expect(missing.isError).toBe(true);
    expect(text(missing).length).toBeGreaterThan(0);
    const tooMany = await client.callTool({ name: 'get_span_details', arguments: { traceId: TRACE, spanIds: Array.from({ length: 21 }, (_, i) => String(i)) } });
    expect(tooMany.isError).toBe(true);
    expect((await client.callTool({ name: 'get_trace', arguments: { traceId: TRACE } })).isError).toBeFalsy();
  });
});
