import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';

// Issue 18 item 6: an output that cannot be written, or a file that cannot be read, ends with one
// line on stderr and exit 4, never a Node stack (exit 1) or "internal error" (exit 70).
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = 'examples/*.log*';
const HAS_DEV_FULL = existsSync('/dev/full');

function runToDevFull(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', full, 'pipe'], env: { ...process.env, CI: '1' } });
    closeSync(full);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe.skipIf(!HAS_DEV_FULL)('writing to a full device (/dev/full; skipped where there is none)', () => {
  it.each([
    ['show', [TRACE, EXAMPLES]],
    ['show --json', [TRACE, EXAMPLES, '--json']],
    ['show --format logs', [TRACE, EXAMPLES, '--format', 'logs']],
    ['traces', [EXAMPLES]],
    ['traces --json', [EXAMPLES, '--json']],
    ['check', [TRACE, EXAMPLES, '--no-errors']],
  ])('%s: one line, exit 4', async (command, rest) => {
    const r = await runToDevFull([command.split(' ')[0]!, ...rest, ...command.split(' ').slice(1)]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('mcp-trace: cannot write the output: ENOSPC: no space left on device, write\n');
  });
});

describe.skipIf(!existsSync('/proc/self/mem'))('a file that fails on read (/proc/self/mem; skipped where there is none)', () => {
  it('traces exits 4 as show does', async () => {
    const show = await runCli(['show', TRACE, '/proc/self/mem']);
    expect(show.code).toBe(4);
    const traces = await runCli(['traces', '/proc/self/mem']);
    expect(traces.code).toBe(4);
    expect(traces.stderr).toMatch(/^mcp-trace: cannot read\b.*EIO/);
    expect(traces.stderr).not.toMatch(/internal error/);
    expect(traces.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
