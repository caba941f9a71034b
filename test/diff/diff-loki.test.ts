import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeLoki, type FakeEntry, type FakeLoki } from '../support/fake-loki.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// `diff` reads from Loki as `show` does: the otel-node run's real pino lines pushed into the
// fake Loki, one stream per service, each entry at the time its line logged.
const DIR = 'corpus/otel-node/b-explicit';
const RETRY = '3a746028aba2711092c8b8065838bac2';
const CLEAN = '1136e8dd2dce28b315c23a52787fa280';

let loki: FakeLoki;
let window: string[];
beforeAll(async () => {
  const entries: FakeEntry[] = [];
  for (const file of readdirSync(join(REPO_ROOT, DIR)).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(join(REPO_ROOT, DIR, file), 'utf8').split('\n').filter(Boolean)) {
      const { time } = JSON.parse(line) as { time: number };
      entries.push({ labels: { service_name: file.replace(/\.log$/, '') }, timeNs: BigInt(time) * 1_000_000n, line });
    }
  }
  const times = entries.map((e) => e.timeNs);
  const from = times.reduce((a, b) => (b < a ? b : a)) / 1_000_000n - 1000n;
  const to = times.reduce((a, b) => (b > a ? b : a)) / 1_000_000n + 1000n;
  window = ['--from', String(from), '--to', String(to)];
  loki = await startFakeLoki({ entries });
});
afterAll(() => loki.close());

it('compares two traces read from Loki, one query each, as show queries', async () => {
  const fromFiles = JSON.parse((await runCli(['diff', CLEAN, RETRY, `${DIR}/*.log`, '--json'])).stdout) as unknown;
  const before = loki.queries.length;
  const r = await runCli(['diff', CLEAN, RETRY, '--loki', loki.url, ...window, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const queries = loki.queries.slice(before).map((q) => q.query.query);
  expect(new Set(queries)).toEqual(new Set([`{service_name=~".+"} |= "${CLEAN}"`, `{service_name=~".+"} |= "${RETRY}"`]));
  expect(JSON.parse(r.stdout)).toEqual(fromFiles);
});

it('--baseline reads the window once and compares as from files; a missing trace is exit 3', async () => {
  const fromFiles = JSON.parse((await runCli(['diff', RETRY, '--baseline', `${DIR}/*.log`, '--json'])).stdout) as unknown;
  const r = await runCli(['diff', RETRY, '--baseline', '--loki', loki.url, ...window, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual(fromFiles);
  const missing = await runCli(['diff', CLEAN, 'ffffffffffffffffffffffffffffffff', '--loki', loki.url, ...window]);
  expect(missing.code).toBe(3);
  expect(missing.stderr).toMatch(/^mcp-trace: trace ffffffffffffffffffffffffffffffff not found in Loki at .* widen the window with --since \S+ or --from\/--to\n$/);
});
