// Issue 17's first finding: one bad line must be skipped and counted, never an internal error.
// These lines are hostile by construction (no library writes them), so the test builds them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const DEPTH = 100_000;
let dir: string;
let objects: string;
let arrays: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-trace-deep-'));
  objects = `{"trace_id":"${ID}","a":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}\n`;
  arrays = `{"trace_id":"${ID}","a":${'['.repeat(DEPTH)}"${ID}"${']'.repeat(DEPTH)}}\n`;
  writeFileSync(join(dir, 'objects.log'), objects);
  writeFileSync(join(dir, 'arrays.log.gz'), gzipSync(arrays));
});

describe('a line nested 100 000 deep', () => {
  for (const [label, args] of [
    ['--json', ['--json']],
    ['tree', []],
    ['--format logs', ['--format', 'logs']],
    ['--format otlp', ['--format', 'otlp']],
  ] as const) {
    it(`show ${label}: skipped as malformed, "not found" with exit 3`, async () => {
      for (const file of ['objects.log', 'arrays.log.gz']) {
        const r = await runCli(['show', ID, join(dir, file), ...args]);
        expect(r.stderr).not.toMatch(/internal error/);
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(/1 malformed/);
      }
    });
  }

  it('on standard input and in check, too', async () => {
    const piped = await runCli(['show', ID, '-'], { stdin: arrays });
    expect([piped.code, piped.stderr.includes('internal error')]).toEqual([3, false]);
    const check = await runCli(['check', ID, join(dir, 'objects.log')]);
    expect(check.stderr).not.toMatch(/internal error/);
    expect(check.code).toBe(3);
  });
});

describe('a zap-style ts out of any range', () => {
  for (const ts of ['1e300', '-5', '"NaN"', '9e18', '"99999999999999999999999"']) {
    it(`ts ${ts}: --format logs prints the line, no internal error`, async () => {
      const line = `{"level":"info","ts":${ts},"msg":"odd clock","trace_id":"${ID}","service":"svc"}\n`;
      const r = await runCli(['show', ID, '-', '--format', 'logs'], { stdin: line });
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('odd clock');
    });
  }
});
