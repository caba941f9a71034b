import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../support/run-cli.js';
import { waitFor } from './helpers.js';

// The built CLI as a user runs it (`npm test` builds dist/ first): a real process, real files,
// a real SIGINT.

interface Proc {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], cwd: string): Proc {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', TZ: 'UTC' };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.LOKI_ADDR;
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

let dir: string;
let proc: Proc | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-trace-tail-proc-'));
});
afterEach(async () => {
  if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
  proc = null;
  await rm(dir, { recursive: true, force: true });
});

describe('mcp-trace tail (spawned)', () => {
  it('follows a file, and Ctrl-C ends it with exit 0', async () => {
    // Real pino lines (corpus/zoo/pino): the first already in the file, the second appended.
    const [first, second] = readFileSync(join(REPO_ROOT, 'corpus/zoo/pino/pino.log'), 'utf8').split('\n');
    await writeFile(join(dir, 'api.log'), first + '\n');
    proc = run(['tail', 'api.log', '--from-start', '--poll-interval', '20ms', '--no-color'], dir);
    await waitFor(() => proc!.stdout().includes('request received'), 'the existing line', 10_000);
    await appendFile(join(dir, 'api.log'), second + '\n');
    await waitFor(() => proc!.stdout().includes('order-service'), 'the appended line', 10_000);
    proc.child.kill('SIGINT');
    const { code } = await proc.exit;
    expect(code).toBe(0);
    // HH:MM:SS.mmm (UTC), service, level, the trace id's first 8, message: as pino wrote them.
    const shown = (raw: string) => {
      const l = JSON.parse(raw) as { time: number; service: string; trace_id: string; msg: string };
      return `${new Date(l.time).toISOString().slice(11, 23)} ${l.service.padEnd(14)} INFO  ${l.trace_id.slice(0, 8)} ${l.msg}\n`;
    };
    expect(proc.stdout()).toBe(shown(first!) + shown(second!));
    expect(proc.stderr()).toBe('');
  });

  it('--trees prints the error’s whole trace once after the settle window', async () => {
    // Real library lines (corpus/zoo, written by corpus/generators/zoo-npm): three traces of the
    // same three services, each failing in payment-service.
    const zoo = (entry: string) => readFileSync(join(REPO_ROOT, 'corpus', 'zoo', entry, `${entry}.log`), 'utf8');
    const idOf = (entry: string) => (JSON.parse(readFileSync(join(REPO_ROOT, 'corpus', 'zoo', entry, 'truth.json'), 'utf8')) as { traces: { traceId: string }[] }).traces[0]!.traceId;
    // A first trace, read with --from-start: once its tree shows, the file is followed.
    await writeFile(join(dir, 'shop.log'), zoo('pino-datadog'));
    proc = run(
      ['tail', 'shop.log', '--from-start', '--errors', '--trees', '--settle', '150ms', '--poll-interval', '20ms', '--no-color', '--width', '100'],
      dir,
    );
    await waitFor(() => proc!.stdout().includes(`trace ${idOf('pino-datadog')}`), 'the first tree', 10_000);
    const pino = zoo('pino');
    const trace = idOf('pino');
    await appendFile(join(dir, 'shop.log'), pino);
    await waitFor(() => proc!.stdout().includes(`trace ${trace}`) && proc!.stdout().split(`trace ${trace}`)[1]!.includes('error origin'), 'the tree', 10_000);
    // Give a second tree of it the chance to (wrongly) appear, behind a third trace.
    await appendFile(join(dir, 'shop.log'), zoo('bunyan'));
    await waitFor(() => proc!.stdout().includes(`trace ${idOf('bunyan')}`), 'the third tree', 10_000);
    proc.child.kill('SIGINT');
    const { code } = await proc.exit;
    expect(code).toBe(0);
    const out = proc.stdout();
    expect(out.split(`trace ${trace}`).length - 1).toBe(1);
    // Its error line, and not its info lines (--errors), then its tree with every span.
    const failing = pino.split('\n').filter((l) => l.startsWith('{"level":50'));
    expect(failing.length).toBeGreaterThan(0);
    expect(out).toMatch(new RegExp(`payment-service +ERROR +${trace.slice(0, 8)} `));
    expect(out).not.toMatch(new RegExp(`INFO +${trace.slice(0, 8)} request received`));
    const tree = out.slice(out.indexOf(`trace ${trace}`), out.indexOf(`trace ${idOf('bunyan')}`));
    expect(tree).toMatch(/^api-gateway POST \/api\/checkout/m);
    expect(tree).toMatch(/└─ order-service POST \/v1\/orders/);
    expect(tree).toMatch(/└─ payment-service POST \/v1\/charges .*error origin/);
  });

  it('a usage error exits 2 with one line', async () => {
    proc = run(['tail', '--level', 'loud', 'x.log'], dir);
    const { code } = await proc.exit;
    expect(code).toBe(2);
    expect(proc.stderr()).toBe("mcp-trace: --level must be one of trace, debug, info, warn, error, fatal; got 'loud'\n");
  });
});
