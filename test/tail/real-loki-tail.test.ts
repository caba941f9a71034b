import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/run-cli.js';
import { announceSkip, pushEntries, realLokiMissing, startRealLoki, type PushEntry, type RealLoki } from '../support/real-loki.js';
import { waitFor } from './helpers.js';

// `tail --loki` against a real Loki 2.8.0 that is stopped with SIGTERM and started again on the
// same data folder, as in a rollout. One server for the file.
announceSkip('test/tail/real-loki-tail.test.ts');

let loki: RealLoki;
beforeAll(async () => {
  if (!realLokiMissing) loki = await startRealLoki();
}, 90_000);
afterAll(async () => {
  await loki?.close();
}, 60_000);

function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', TZ: 'UTC' };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.LOKI_ADDR;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exit };
}

const entries = (service: string, from: number, to: number): PushEntry[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    labels: { service_name: service },
    timeNs: BigInt(Date.now()) * 1_000_000n + BigInt(i),
    line: JSON.stringify({ level: 'info', msg: `restart line ${String(from + i).padStart(3, '0')}`, service }),
  }));

/** A Loki that has just said ready may still refuse pushes for a moment (`empty ring`). */
async function pushUntilAccepted(url: string, list: PushEntry[]): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      return await pushEntries(url, list);
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const counts = (out: string): Map<string, number> => {
  const seen = new Map<string, number>();
  for (const m of out.matchAll(/restart line (\d{3})/g)) seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
  return seen;
};

describe.skipIf(realLokiMissing !== null)('tail --loki across a real Loki restart', () => {
  it('prints all 100 lines exactly once, says when Loki went away and came back, and keeps running', async () => {
    const service = `restart-${process.pid}`;
    const tail = run(['tail', '--loki', loki.url, '--selector', `{service_name="${service}"}`, '--no-color']);
    try {
      // The tail has connected once Loki pings it; lines pushed before that are not live yet.
      await new Promise((r) => setTimeout(r, 1500));
      await pushEntries(loki.url, entries(service, 1, 50));
      await waitFor(() => counts(tail.stdout()).size === 50, 'the first 50 lines', 20_000);

      await loki.stop();
      await waitFor(() => /reconnecting in/.test(tail.stderr()), 'a notice that Loki went away', 20_000);
      await loki.start();
      await pushUntilAccepted(loki.url, entries(service, 51, 100));
      await waitFor(() => counts(tail.stdout()).size === 100, `all 100 lines (stderr: ${tail.stderr()})`, 60_000);
      // A moment more for any repeat to show up.
      await new Promise((r) => setTimeout(r, 1500));

      const seen = counts(tail.stdout());
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(seen.size).toBe(100);
      expect(tail.stderr()).toMatch(/reconnected to Loki; resuming from /);
      expect(tail.stderr()).not.toMatch(/rejected|gave up/);
      expect(tail.child.exitCode).toBe(null);

      tail.child.kill('SIGINT');
      expect((await tail.exit).code).toBe(0);
    } finally {
      if (tail.child.exitCode === null) tail.child.kill('SIGKILL');
    }
  }, 120_000);

  it('a query Loki rejects as a query ends the tail with exit 4 and its message', async () => {
    const tail = run(['tail', '--loki', loki.url, '--selector', '{service_name=~".*"}', '--no-color']);
    const { code } = await tail.exit;
    expect(code).toBe(4);
    expect(tail.stderr()).toMatch(/^mcp-trace: Loki rejected the tail \(400\): .*at least one regexp or equality matcher/m);
  }, 30_000);
});
