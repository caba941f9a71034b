import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki.js';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';
import { DEEP_FAILURE, PANIC, TIMEOUT } from './examples.js';
import { EXAMPLE_WINDOW, exampleEntries } from './loki-entries.js';

let loki: FakeLoki;
beforeAll(async () => {
  loki = await startFakeLoki({ entries: exampleEntries() });
});
afterAll(() => loki.close());

describe('check and traces on Loki (spawned, fake Loki)', () => {
  it('check judges a trace fetched from Loki, with the same query as show', async () => {
    const r = await runCli(['check', DEEP_FAILURE, '--loki', loki.url, ...EXAMPLE_WINDOW, '--no-errors', '--expect-service', 'fraud-check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✘ no-errors: 4 of 5 spans failed: fraud-check:POST \/v1\/score/);
    expect(r.stdout).toContain('✔ expect-service fraud-check');
    expect(loki.queries.at(-1)!.query.query).toBe(`{service_name=~".+"} |= "${DEEP_FAILURE}"`);
  });

  it('check exits 3 naming the window, and refuses Loki plus files', async () => {
    const r = await runCli(['check', 'aaaabbbbccccddddeeeeffff99999999', '--loki', loki.url, ...EXAMPLE_WINDOW]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not found in Loki at .* between 2025-11-25T08:59:00Z and 2025-11-25T09:10:00Z \(--from\/--to\); widen the window/);
    expect((await runCli(['check', DEEP_FAILURE, 'examples/api-gateway.log', '--loki', loki.url])).code).toBe(2);
  });

  it('traces lists every trace in the window', async () => {
    const r = await runCli(['traces', '--loki', loki.url, ...EXAMPLE_WINDOW, '--json', '--limit', '100']);
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout) as Array<{ traceId: string; spanCount: number }>;
    expect(rows).toHaveLength(30);
    expect(rows.find((t) => t.traceId === DEEP_FAILURE)!.spanCount).toBe(5);
    expect(loki.queries.at(-1)!.query.query).toBe('{service_name=~".+"}');
  });

  it('traces --errors pushes an error filter into LogQL, then fetches the candidates whole', async () => {
    const before = loki.queries.length;
    const r = await runCli(['traces', '--loki', loki.url, ...EXAMPLE_WINDOW, '--json', '--errors', '--sort', 'errors']);
    const rows = JSON.parse(r.stdout) as Array<{ traceId: string; errorCount: number; services: string[] }>;
    expect(rows.map((t) => t.traceId)).toEqual([DEEP_FAILURE, TIMEOUT, PANIC]);
    expect(rows[0]!.services).toHaveLength(5);
    const queries = loki.queries.slice(before).map((q) => q.query.query);
    expect(queries[0]).toMatch(/^\{service_name=~"\.\+"\} \|~ "err\|Err\|ERR\|fatal\|/);
    // The second pass asks for the candidates by id (every spelling of each: low 64 bits, upper case, decimal).
    // (Each pass is one query per parallel sub-range of the window.)
    const byIds = queries.filter((q) => /^\{service_name=~"\.\+"\} \|~ "a3ce929d0e0e4736\|A3CE929D0E0E4736\|\d+\|/.test(q));
    const byErrors = queries.filter((q) => q.startsWith('{service_name=~".+"} |~ "err|Err|ERR|'));
    expect(byIds.length).toBeGreaterThan(0);
    expect(byErrors.length + byIds.length).toBe(queries.length);
    expect(byIds.every((q) => q.includes('a3e15c9b07d6e218') && q.includes('b5c4e3a2d1f09e87'))).toBe(true);
  });

  it('traces --service narrows the first pass only: rows still show every service of a trace', async () => {
    const before = loki.queries.length;
    const r = await runCli(['traces', '--loki', loki.url, ...EXAMPLE_WINDOW, '--json', '--limit', '100', '--service', 'fraud-check']);
    const rows = JSON.parse(r.stdout) as Array<{ services: string[] }>;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((t) => t.services.includes('fraud-check') && t.services.includes('api-gateway'))).toBe(true);
    expect(loki.queries[before]!.query.query).toBe('{service_name="fraud-check"}');
  });
});

describe('check --wait on Loki (spawned)', () => {
  it('polls while lines arrive in Loki, until the span count holds', async () => {
    const later = await startFakeLoki({ entries: [] });
    try {
      const trace = exampleEntries().filter((e) => e.line.includes(TIMEOUT));
      const byService = (name: string) => trace.filter((e) => e.labels.service_name === name);
      const child = spawn(
        process.execPath,
        [BIN, 'check', TIMEOUT, '--loki', later.url, ...EXAMPLE_WINDOW, '--wait', '20s', '--poll-interval', '700ms', '--min-spans', '5', '--expect-service', 'fraud-check'],
        { cwd: REPO_ROOT, env: { ...process.env, CI: '1' } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const arrivals = [
        () => later.add([...byService('api-gateway'), ...byService('order-service')]),
        () => later.add([...byService('payment-service'), ...byService('inventory-service'), ...byService('fraud-check')]),
      ];
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const polls = stderr.split('\n').filter((l) => l.startsWith('mcp-trace: poll')).length;
        while (arrivals.length > 0 && polls >= 3 - arrivals.length) arrivals.shift()!();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const polls = stderr.split('\n').filter((l) => l.startsWith('mcp-trace: poll'));
      expect(polls[0]).toMatch(/: not found yet/);
      expect(polls[1]).toMatch(/: 2 spans, /);
      expect(polls.at(-1)).toMatch(/: 5 spans, /);
      expect(polls.at(-2)).toMatch(/: 5 spans, /);
      expect(stdout).toContain('✔ min-spans 5: trace has 5 spans');
      expect(code).toBe(0);
    } finally {
      await later.close();
    }
  });
});
