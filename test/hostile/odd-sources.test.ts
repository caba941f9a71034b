// Issue 17: odd sources end with an answer, never a hang. FIFOs, empty inputs, tail on a missing
// or gzipped file. The inputs are generated here; the trace line is made up for the test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_LINE = `{"time":"2026-01-01T00:00:00Z","level":"info","msg":"through a fifo","trace_id":"${ID}","service":"svc"}\n`;
const HAS_MKFIFO = process.platform === 'linux' && spawnSync('mkfifo', ['--version']).status === 0;
const HAS_SCRIPT = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-trace-odd-'));
});

function fifo(name: string): string {
  const path = join(dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
}

/** Starts the CLI; resolves with its exit once it ends. */
function start(args: string[]): { pid: number; done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> } {
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    }),
  );
  return { pid: child.pid!, done };
}

/** Waits until process `pid` holds `path` open: it is reading (and its Ctrl-C handling is set up). */
async function whenOpen(pid: number, path: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => safeReadlink(`/proc/${pid}/fd/${fd}`) === path)) return;
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

function safeReadlink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

describe.skipIf(!HAS_MKFIFO)('a FIFO named as the source', () => {
  it('with no writer, Ctrl-C ends the wait at once with 130', async () => {
    const path = fifo('quiet.fifo');
    const run = start(['show', ID, path]);
    await whenOpen(run.pid, path);
    const before = Date.now();
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    expect(Date.now() - before).toBeLessThan(2000);
  });

  it('is read like standard input once a writer comes: the trace is found', async () => {
    const path = fifo('busy.fifo');
    const run = start(['show', ID, path, '--json']);
    await whenOpen(run.pid, path);
    writeFileSync(path, TRACE_LINE);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).traceId).toBe(ID);
  });

  it('a writer that sends nothing: "had no lines", exit 3', async () => {
    const path = fifo('empty.fifo');
    const run = start(['show', ID, path]);
    await whenOpen(run.pid, path);
    writeFileSync(path, '');
    const r = await run.done;
    expect([r.code, r.stderr]).toEqual([3, `mcp-trace: trace ${ID} not found: ${path} had no lines (the input was empty)\n`]);
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal, a few seconds of silence are named once', async () => {
    const path = fifo('tty.fifo');
    // script(1) gives the CLI a terminal; the FIFO never gets a writer, so timeout ends it.
    const r = spawnSync('script', ['-qec', `timeout -s INT 4 ${process.execPath} ${BIN} show ${ID} ${path}`, '/dev/null'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CI: '' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    const said = r.stdout.split(/\r?\n/).filter((l) => l.includes('waiting for input'));
    expect(said).toEqual([`mcp-trace: waiting for input from ${path}: nothing has arrived for 3 s (Ctrl-C stops)`]);
  });

  it('tail does not open a FIFO (that would hang): it says to pipe it instead', async () => {
    const path = fifo('tail.fifo');
    const run = start(['tail', path]);
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`mcp-trace: ${path} is not a regular file (a FIFO or device); pipe it into standard input: cat ${path} | mcp-trace tail\n`);
  });
});

describe('empty input', () => {
  for (const [name, content, said] of [
    ['empty.log', '', 'had no lines (the input was empty)'],
    ['newlines.log', '\n\n\n', 'had no lines, only 3 empty ones'],
    ['empty.log.gz', gzipSync(''), 'had no lines (the input was empty)'],
  ] as const) {
    it(`${name}: show and check exit 3 saying the input had no lines`, async () => {
      const path = join(dir, name);
      writeFileSync(path, content);
      for (const command of ['show', 'check']) {
        const r = await runCli([command, ID, path]);
        expect([r.code, r.stderr]).toEqual([3, `mcp-trace: trace ${ID} not found: ${path} ${said}\n`]);
      }
    });
  }

  it('standard input that is empty: the same', async () => {
    const r = await runCli(['show', ID], { stdin: '' });
    expect([r.code, r.stderr]).toEqual([3, `mcp-trace: trace ${ID} not found: standard input had no lines (the input was empty)\n`]);
  });
});

describe('tail on files that will not grow', () => {
  it('a missing file: said once that it is waited for', async () => {
    const path = join(dir, 'missing.log');
    const run = start(['tail', path]);
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`mcp-trace: cannot open ${path} yet; waiting for it to appear\n`);
  });

  it('a truncated .gz with --from-start: the lines before the cut, a notice, and the end', async () => {
    const whole = gzipSync(TRACE_LINE.repeat(200));
    const path = join(dir, 'truncated.log.gz');
    writeFileSync(path, whole.subarray(0, whole.length - 40));
    const r = await runCli(['tail', path, '--from-start', '--json'], { timeoutMs: 10_000 });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(100);
    expect(r.stderr).toBe(`mcp-trace: ${path}: the gzip data ends early; read up to there\n`);
  });

  it('a whole .gz without --from-start is left alone, and tail ends', async () => {
    const path = join(dir, 'rotated.log.gz');
    writeFileSync(path, gzipSync(TRACE_LINE));
    const r = await runCli(['tail', path], { timeoutMs: 10_000 });
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toBe(`mcp-trace: ${path} is gzipped, so a finished file: not followed (--from-start reads it once)\n`);
  });
});
