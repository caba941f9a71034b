import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { DEEP_FAILURE, EXAMPLE_GLOB, PANIC, TIMEOUT } from '../check/examples.js';

describe('mcp-trace traces (spawned)', () => {
  it('lists 20 rows by default, latest first, then says how many more there are', async () => {
    // Wide enough for the whole table; fitting it is test/firsthour/tables-fit.test.ts.
    const r = await runCli(['traces', EXAMPLE_GLOB, '--width', '1000']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^│ [0-9a-f]/.test(l));
    expect(rows).toHaveLength(20);
    expect(r.stdout).toContain('│ trace id ');
    expect(r.stdout).toMatch(/10 more traces \(of 30\); show them with --limit 30\n$/);
    expect(rows[0]).toContain('2025-11-25 09:02:57.536');
  });

  it('--errors --sort errors shows the failing traces, most errors first, with root and counts', async () => {
    const r = await runCli(['traces', EXAMPLE_GLOB, '--errors', '--sort', 'errors', '--width', '1000']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^│ [0-9a-f]/.test(l));
    expect(rows.map((l) => l.slice(2, 34))).toEqual([DEEP_FAILURE, TIMEOUT, PANIC]);
    expect(rows[0]).toMatch(/│ +21\.0ms │ +500 │ +5 │ +4 │ api-gateway, order-service \+3 +│ api-gateway POST \/api\/orders +│$/);
    expect(r.stdout).not.toContain('more trace');
  });

  it('--json says on stderr how many traces --limit left out, keeping stdout a plain array', async () => {
    const r = await runCli(['traces', EXAMPLE_GLOB, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(20);
    expect(r.stderr).toBe('mcp-trace: 10 more traces (of 30); show them with --limit 30\n');
    const all = await runCli(['traces', EXAMPLE_GLOB, '--json', '--limit', '30']);
    expect(all.stderr).toBe('');
  });

  it('--json prints an array of rows named like show --json', async () => {
    const r = await runCli(['traces', EXAMPLE_GLOB, '--json', '--min-duration', '1s']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      traceId: TIMEOUT,
      startUnixNano: '1764061281220000000',
      durationMs: expect.any(Number),
      spanCount: 5,
      errorCount: 3,
      warningCount: 1,
      services: ['api-gateway', 'order-service', 'inventory-service', 'payment-service', 'fraud-check'],
      rootService: 'api-gateway',
      rootName: 'POST /api/orders',
      rootHttpStatus: 504,
    });
    const show = JSON.parse((await runCli(['show', TIMEOUT, EXAMPLE_GLOB, '--json'])).stdout) as Record<string, unknown>;
    for (const key of ['traceId', 'startUnixNano', 'durationMs', 'spanCount', 'errorCount', 'warningCount', 'services']) {
      expect([key, rows[0]![key]]).toEqual([key, show[key]]);
    }
  });

  it('--service keeps traces that touch it; --from/--to keep traces that start in the window', async () => {
    const byService = JSON.parse((await runCli(['traces', EXAMPLE_GLOB, '--json', '--limit', '100', '--service', 'fraud-check'])).stdout) as Array<{ services: string[] }>;
    expect(byService.length).toBeGreaterThan(0);
    expect(byService.every((t) => t.services.includes('fraud-check'))).toBe(true);
    const windowed = JSON.parse(
      (await runCli(['traces', EXAMPLE_GLOB, '--json', '--from', '2025-11-25T09:00:00Z', '--to', '2025-11-25T09:00:30Z'])).stdout,
    ) as Array<{ traceId: string }>;
    expect(windowed.map((t) => t.traceId)).toContain(DEEP_FAILURE);
    expect(windowed).toHaveLength(5);
  });

  it('reads standard input, and says when nothing matches', async () => {
    // Real pino lines (corpus/zoo/pino: one checkout through three services), and a line that is not JSON.
    const pino = readFileSync(join(REPO_ROOT, 'corpus/zoo/pino/pino.log'), 'utf8');
    const truth = JSON.parse(readFileSync(join(REPO_ROOT, 'corpus/zoo/pino/truth.json'), 'utf8')) as { traces: { traceId: string; spans: unknown[] }[] };
    const r = await runCli(['traces', '--json'], { stdin: `${pino}not json\n` });
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ traceId: truth.traces[0]!.traceId, spanCount: truth.traces[0]!.spans.length, rootService: 'api-gateway', rootName: 'POST /api/checkout' }),
    ]);
    const none = await runCli(['traces', EXAMPLE_GLOB, '--service', 'billing']);
    expect(none.stdout).toBe('no trace matches the filters (30 traces found)\n');
  });

  it('rejects bad flags with exit 2 and missing files with exit 4', async () => {
    const bad = await runCli(['traces', EXAMPLE_GLOB, '--min-duration', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mcp-trace: --min-duration takes a duration such as 500ms, 30s or 2m, not 'fast'\n$/);
    expect((await runCli(['traces', EXAMPLE_GLOB, '--sort', 'size'])).code).toBe(2);
    expect((await runCli(['traces', EXAMPLE_GLOB, '--limit', '0'])).code).toBe(2);
    const missing = await runCli(['traces', 'no-such.log']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no-such\.log/);
  });
});
