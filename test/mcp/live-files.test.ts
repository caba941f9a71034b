import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, McpSession, REPO_ROOT, structured, text, until } from './helpers.js';

// The server on copies of the example logs that the test writes to while it runs: the cache
// must notice a file that changed, tail_errors must see lines written after start-up, and a
// source that fails mid-read must come back as a tool error.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const ORIGIN = '6afeecf5bf4859f0'; // fraud-check POST /v1/score, 3 lines in examples/fraud-check.log
const FILES = ['api-gateway.log', 'order-service.log', 'payment-service.log', 'inventory-service.log.gz'];
const fraudLines = readFileSync(join(REPO_ROOT, 'examples', 'fraud-check.log'), 'utf8').split('\n').filter(Boolean);

describe('mcp-trace mcp on files that change while it runs (needs npm run build)', () => {
  let dir: string;
  let mcp: McpSession;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-trace-mcp-'));
    for (const f of FILES) copyFileSync(join(REPO_ROOT, 'examples', f), join(dir, f));
    // fraud-check.log starts with the lines before the trace's failure, the rest is appended later.
    const firstError = fraudLines.findIndex((l) => l.includes(ORIGIN) && l.includes('"level": "error"'));
    writeFileSync(join(dir, 'fraud-check.log'), fraudLines.slice(0, firstError).join('\n') + '\n');
    mcp = await McpSession.start(['*.log*'], { cwd: dir });
  }, 20_000);
  afterAll(async () => {
    await mcp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file that grew is read again; tail_errors has the error lines written since start-up, with their trace ids', async () => {
    const before = structured(await mcp.call('get_span_details', { traceId: TRACE, spanIds: [ORIGIN] }));
    const again = structured(await mcp.call('get_span_details', { traceId: TRACE, spanIds: [ORIGIN] }));
    expect(again).toEqual(before);
    expect(structured(await mcp.call('tail_errors', {})).errors).toEqual([]);

    const firstError = fraudLines.findIndex((l) => l.includes(ORIGIN) && l.includes('"level": "error"'));
    appendFileSync(join(dir, 'fraud-check.log'), fraudLines.slice(firstError).join('\n') + '\n');

    const after = structured(await mcp.call('get_span_details', { traceId: TRACE, spanIds: [ORIGIN] }));
    expect(after.spans[0].lineCount).toBeGreaterThan(before.spans[0].lineCount);
    expect(after.spans[0].error).toBe(true);

    const tail = await until(async () => {
      const out = structured(await mcp.call('tail_errors', { seconds: 60 }));
      return out.errors.length >= 2 ? out : null;
    }, 'the appended error lines in tail_errors');
    expect(tail.errors.every((e: any) => e.service === 'fraud-check' && /fraud-check\.log(:\d+)?$/.test(e.where))).toBe(true);
    expect(tail.errors.map((e: any) => e.traceId)).toContain(TRACE);
    expect(tail.traces.find((t: any) => t.traceId === TRACE)).toMatchObject({ services: ['fraud-check'] });
    expect(tail.errors[0].message).toEqual(expect.any(String));
    // Only the service asked for.
    expect(structured(await mcp.call('tail_errors', { service: 'api-gateway' })).errors).toEqual([]);
    // A capped answer names the call for the rest.
    const one = structured(await mcp.call('tail_errors', { limit: 1 }));
    expect(one.errors).toHaveLength(1);
    expect(one.note).toMatch(/more errors matched; call tail_errors \{"limit":200\}/);
  });

  it('tail_errors with files follows them from the first call, and says so', async () => {
    writeFileSync(join(dir, 'other.log'), '');
    const first = structured(await mcp.call('tail_errors', { files: [join(dir, 'other.log')] }));
    expect(first.note).toMatch(/started following .*other\.log.* just now/);
    appendFileSync(join(dir, 'other.log'), fraudLines.filter((l) => l.includes('"level": "error"')).join('\n') + '\n');
    const later = await until(async () => {
      const out = structured(await mcp.call('tail_errors', { files: [join(dir, 'other.log')] }));
      return out.errors.length > 0 ? out : null;
    }, 'errors of other.log');
    expect(later.note).toBeUndefined();
    expect(later.errors[0].where).toMatch(/other\.log(:\d+)?$/);
  });

  it('a gzip file cut mid-stream is a tool error naming it, and the next call works', async () => {
    const gz = readFileSync(join(REPO_ROOT, 'examples', 'inventory-service.log.gz'));
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await mcp.call('search_traces', { files: [join(dir, 'cut.gz')] });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/cut\.gz: not valid gzip data/);
    expect(text(r).split('\n')).toHaveLength(1);
    expect((await mcp.call('search_traces', {})).isError).toBeFalsy();
  });
});

describe('stdout carries only the protocol', () => {
  it('every line the server writes on stdout is a JSON-RPC message, through good and failing calls', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', 'examples/*.log*'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const send = (msg: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'get_trace', arguments: { traceId: TRACE } } });
    send({ id: 3, method: 'tools/call', params: { name: 'get_trace', arguments: { traceId: 'nope-not-there', files: ['no/such.log'] } } });
    send({ id: 4, method: 'tools/call', params: { name: 'search_traces', arguments: { limit: 'many' } } });
    send({ id: 5, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
    try {
      await until(async () => (out.match(/\n/g)?.length ?? 0) >= 5, () => `five answers (stdout so far: ${out.slice(0, 300)}; stderr: ${err})`);
      child.stdin.end();
      await new Promise((r) => child.on('close', r));
    } finally {
      // A server that did not answer must not outlive the test.
      if (child.exitCode === null) child.kill();
    }
    const messages = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(messages.every((m) => m.jsonrpc === '2.0')).toBe(true);
    messages.sort((a, b) => a.id - b.id);
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
    expect(messages[1].result.isError).toBeFalsy();
    expect(messages[2].result.isError).toBe(true);
    expect(messages[3].result.isError).toBe(true);
  });
});
