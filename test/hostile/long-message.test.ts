// A line within the line limit can still be huge: a 1 MB error message must not make the tree's
// wrapping quadratic (it took 30 s and more before the wrap measured each piece once).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

it('show with a 1 MB error message prints the tree in seconds, the message wrapped under it', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'mcp-trace-long-msg-')), 'svc.log');
  writeFileSync(file, JSON.stringify({ trace_id: ID, service: 'svc', level: 'error', msg: 'boom', error: 'E'.repeat(1_000_000) }) + '\n');
  for (const args of [[], ['--logs']]) {
    const started = Date.now();
    const r = await runCli(['show', ID, file, '--width', '100', ...args], { timeoutMs: 20_000 });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').every((line) => line.length <= 100)).toBe(true);
    expect(r.stdout).toContain('EEEEEEEEEE');
    expect(Date.now() - started).toBeLessThan(10_000);
  }
});
