import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLoki } from '../support/fake-loki.js';
import { runCli } from '../support/run-cli.js';

// Issue 18 item 8: settings files are read to a few KB whatever they claim to be, and no array
// that input can make long is spread into a call (a spread of ~120 000 values overflows the stack).
const TRACE = 'aaaabbbbccccddddeeeeffff00001111';
const NO_LOKI = 'http://127.0.0.1:9';

describe.skipIf(!existsSync('/dev/zero'))('settings files that never end', () => {
  it('--bearer-token-file /dev/zero: a usage error at once, not gigabytes', async () => {
    const started = Date.now();
    const r = await runCli(['show', TRACE, '--loki', NO_LOKI, '--bearer-token-file', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mcp-trace: the bearer token file /dev/zero is larger than 16 KiB: it should hold only the token\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a config file that is /dev/zero: a usage error at once', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mcp-trace-esc-'));
    mkdirSync(join(home, 'mcp-trace'));
    symlinkSync('/dev/zero', join(home, 'mcp-trace', 'config.json'));
    const r = await runCli(['show', TRACE, '--loki', '--profile', 'prod'], { env: { XDG_CONFIG_HOME: home } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mcp-trace: the config file ${join(home, 'mcp-trace', 'config.json')} is larger than 64 KiB: it should hold only Loki profiles\n`);
  });
});

describe('settings files at the limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-esc-'));
  let loki: FakeLoki;
  beforeAll(async () => void (loki = await new FakeLoki().start()));
  afterAll(async () => loki.close());
  const tokensSent = (): Array<string | string[] | undefined> => loki.queries.map((r) => r.headers.authorization);

  it('a token of 8 KiB is sent; a file of 16 KiB is read, one byte more is refused before any request', async () => {
    const token = 't'.repeat(8 * 1024);
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`);
    const used = await runCli(['show', TRACE, '--loki', loki.url, '--bearer-token-file', file, '--since', '1m']);
    expect(used.code, used.stderr).toBe(3); // asked Loki, which had nothing
    expect(tokensSent().at(-1)).toBe(`Bearer ${token}`);

    // Node's own server refuses headers over 16 KiB (431), so the limit itself is only read.
    writeFileSync(file, 't'.repeat(16 * 1024));
    const atLimit = await runCli(['show', TRACE, '--loki', loki.url, '--bearer-token-file', file, '--since', '1m']);
    expect(atLimit.stderr).toMatch(/Loki rejected the query \(431\)/);

    writeFileSync(file, 't'.repeat(16 * 1024 + 1));
    const asked = tokensSent().length;
    const refused = await runCli(['show', TRACE, '--loki', loki.url, '--bearer-token-file', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`mcp-trace: the bearer token file ${file} is larger than 16 KiB: it should hold only the token\n`);
    expect(tokensSent()).toHaveLength(asked);
  });
});

describe('long arrays from input are never spread into a call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-esc-'));

  it('check --all: 130 000 lines under the 64-bit form of a 128-bit trace id are folded into it', async () => {
    const lines = [JSON.stringify({ time: '2026-11-25T21:00:00.000Z', trace_id: TRACE, span_id: 'f'.repeat(16), service: 'api', duration_ms: 1000 })];
    for (let i = 1; i <= 130_000; i++) {
      lines.push(`{"time":"2026-11-25T21:00:00.5Z","trace_id":"${TRACE.slice(16)}","span_id":"${i.toString(16).padStart(16, '0')}","parent_span_id":"ffffffffffffffff","service":"db","duration_ms":1}`);
    }
    const file = join(dir, 'fold.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await runCli(['check', '--all', file, '--min-spans', '130001'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all 1 assertion passed/);
  }, 60_000);

  it('a Jaeger export whose span has 130 000 logs', async () => {
    const logs = Array.from({ length: 130_000 }, (_, i) => ({ timestamp: 1764104400000000 + i, fields: [{ key: 'event', type: 'string', value: 'x' }] }));
    const span = { traceID: TRACE, spanID: '1111111111111111', operationName: 'op', references: [], startTime: 1764104400000000, duration: 1_000_000, tags: [], logs, processID: 'p1' };
    const doc = { data: [{ traceID: TRACE, spans: [span], processes: { p1: { serviceName: 'api', tags: [] } } }] };
    const file = join(dir, 'jaeger.json');
    writeFileSync(file, JSON.stringify(doc) + '\n');
    const r = await runCli(['show', TRACE, file, '--json'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const trace = JSON.parse(r.stdout) as { spanCount: number; stats: { malformedLines: number }; spans: Array<{ logCount: number }> };
    expect(trace.stats.malformedLines).toBe(0);
    expect(trace.spans[0]!.logCount).toBeGreaterThan(130_000);
  }, 60_000);
});
