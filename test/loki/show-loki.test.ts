import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki.js';
import { fixture } from './fixtures.js';

// End to end through the built CLI (`npm test` builds dist/ first) against the fake Loki.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const WINDOW = ['--from', '2026-11-25T21:00:00Z', '--to', '2026-11-25T22:00:00Z'];

let loki: FakeLoki;
beforeAll(async () => {
  const pushed = JSON.parse(fixture('push_request_sample.json')) as { streams: Array<{ stream: Record<string, string>; values: [string, string][] }> };
  loki = await startFakeLoki({ entries: pushed.streams.flatMap((s) => s.values.map(([ts, line]) => ({ labels: s.stream, timeNs: BigInt(ts), line }))) });
});
afterAll(() => loki.close());

describe('mcp-trace show --loki', () => {
  it('rebuilds the trace from Loki, services coming from stream labels', async () => {
    const r = await runCli(['show', TRACE, '--loki', loki.url, ...WINDOW, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { services?: string[] };
    expect(JSON.stringify(doc)).toContain('inventory-service');
    expect(JSON.stringify(doc)).toContain('payment-service');
    const q = loki.queries.at(-1)!.query;
    expect(q.query).toBe(`{service_name=~".+"} |= "${TRACE}"`);
  });

  it('takes the address from LOKI_ADDR with a bare --loki, and narrows with --service', async () => {
    const r = await runCli(['show', TRACE, '--loki', ...WINDOW, '--service', 'order-service', '--json'], { env: { LOKI_ADDR: loki.url } });
    expect(r.code).toBe(0);
    expect(loki.queries.at(-1)!.query.query).toBe(`{service_name="order-service"} |= "${TRACE}"`);
    expect(r.stdout).not.toContain('inventory-service');
  });

  it('exits 3 naming the window searched and how to widen it', async () => {
    const r = await runCli(['show', 'aaaabbbbccccddddeeeeffff99999999', '--loki', loki.url, ...WINDOW]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `mcp-trace: trace aaaabbbbccccddddeeeeffff99999999 not found in Loki at ${loki.url} between 2026-11-25T21:00:00Z and 2026-11-25T22:00:00Z (--from/--to); widen the window with --since 24h or --from/--to\n`,
    );
  });

  it("exits 4 with Loki's message, and --verbose never shows the password", async () => {
    const r = await runCli(['show', TRACE, '--loki', loki.url, ...WINDOW, '--selector', '{service_name=~".*"}', '--username', 'bob', '--password', 'pa55word-xyz', '--verbose']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`mcp-trace: Loki rejected the query (400): ${fixture('error_400_empty_compatible_matcher.txt')}\n`);
    expect(r.stderr).toContain('mcp-trace: loki: GET ');
    expect(r.stderr).not.toContain('pa55word-xyz');
    expect(r.stderr).not.toContain(Buffer.from('bob:pa55word-xyz').toString('base64'));
  });

  it('refuses Loki and files together, and basic plus bearer auth, as usage errors', async () => {
    expect((await runCli(['show', TRACE, '--loki', loki.url, 'examples/api-gateway.log'])).code).toBe(2);
    const r = await runCli(['show', TRACE, '--loki', loki.url, '--username', 'u', '--bearer-token', 't']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mcp-trace: use either basic auth (--username/--password) or a bearer token, not both (both are set in flags)\n');
  });
});
