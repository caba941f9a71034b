import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../support/run-cli.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function haveMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Issue 18 item 7: a FIFO with no writer blocks open() in a libuv pool thread, and process.exit
// waited for that thread, so Ctrl-C was ignored until a writer came. Now the process ends at once:
// by exit 130, or, while such a request is stuck, by the SIGINT itself (shells show 130 for both).
describe.skipIf(process.platform === 'win32' || !haveMkfifo())('Ctrl-C while a FIFO is being opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-esc-'));
  const fifo = join(dir, 'logs.fifo');
  execFileSync('mkfifo', [fifo]);

  it.each([
    ['show', ['show', TRACE, fifo]],
    ['traces', ['traces', fifo]],
    ['check', ['check', TRACE, fifo, '--no-errors']],
    ['tail', ['tail', fifo]],
  ])('%s ends within a second or two', async (_name, args) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // Long enough for the command to be waiting in open(); a kill before that is a plain SIGINT death.
    await new Promise((r) => setTimeout(r, 1500));
    const sent = Date.now();
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    const { code, signal } = await ended;
    clearTimeout(timer);
    expect(signal, `still running ${Date.now() - sent} ms after Ctrl-C`).not.toBe('SIGKILL');
    expect(Date.now() - sent).toBeLessThan(3000);
    expect(code === 130 || signal === 'SIGINT' || (args[0] === 'tail' && code === 0)).toBe(true);
    expect(stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  });
});

// Issue 18 item 6 (and 17): `traces` on an unreadable file said `internal error: EACCES` (70),
// then `cannot read: EACCES: …, open '…'`; it now says what `show` says, with exit 4. Root reads
// everything, so as root the CLI runs as nobody.
const asRoot = process.getuid?.() === 0;
describe.skipIf(process.platform === 'win32' || (asRoot && !existsSync('/usr/bin/setpriv')))('a file without read permission', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-esc-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'secret.log');
  copyFileSync(join(REPO_ROOT, 'examples', 'api-gateway.log'), file);
  chmodSync(file, 0o000);

  function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const [command, prefix] = asRoot
      ? ['/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN]]
      : [process.execPath, [BIN]];
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...prefix, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it.each([
    ['show', [TRACE]],
    ['traces', []],
    ['check', [TRACE, '--no-errors']],
    ['check --all', ['--all', '--no-errors']],
  ])('%s: one line naming the file, exit 4', async (command, rest) => {
    const [name, ...flags] = command.split(' ');
    const args = rest[0] === '--all' ? [name!, ...flags, file, ...rest.slice(1)] : [name!, ...flags, ...rest.slice(0, 1), file, ...rest.slice(1)];
    const r = await run(args);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`mcp-trace: cannot read ${file}: permission denied\n`);
  });
});
