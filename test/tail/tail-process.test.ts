import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/run-cli.js';
import { waitFor } from './helpers.js';

// The built CLI as a user runs it (`npm test` builds dist/ first): a real process, real files,
// a real SIGINT.

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

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

const line = (service: string, level: string, msg: string, span: string, parent: string | null, ts: number, extra = {}) =>
  JSON.stringify({ level, ts, msg, service, trace_id: TRACE, span_id: span, parent_span_id: parent, ...extra }) + '\n';

describe('mcp-trace tail (spawned)', () => {
  it('follows a file, and Ctrl-C ends it with exit 0', async () => {
    await writeFile(join(dir, 'api.log'), line('api', 'info', 'already there', 'c000000000000001', null, 1795641351.5));
    proc = run(['tail', 'api.log', '--from-start', '--poll-interval', '20ms', '--no-color'], dir);
    await waitFor(() => proc!.stdout().includes('already there'), 'the existing line', 10_000);
    await appendFile(join(dir, 'api.log'), line('api', 'warn', 'appended later', 'c000000000000002', null, 1795641352.25));
    await waitFor(() => proc!.stdout().includes('appended later'), 'the appended line', 10_000);
    proc.child.kill('SIGINT');
    const { code } = await proc.exit;
    expect(code).toBe(0);
    expect(proc.stdout()).toBe(
      '21:15:51.500 api            INFO  4bf92f35 already there\n21:15:52.250 api            WARN  4bf92f35 appended later\n',
    );
    expect(proc.stderr()).toBe('');
  });

  it('--trees prints the error’s whole trace once after the settle window', async () => {
    // A first line of another trace, read with --from-start: once it shows, the file is followed.
    const warmUp = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
    await writeFile(join(dir, 'shop.log'), line('gateway', 'error', 'warm-up', 'd0000000000000ff', null, 1795641350.0, { trace_id: warmUp }));
    proc = run(
      ['tail', 'shop.log', '--from-start', '--errors', '--trees', '--settle', '150ms', '--poll-interval', '20ms', '--no-color', '--width', '100'],
      dir,
    );
    await waitFor(() => proc!.stdout().includes('warm-up'), 'the first line', 10_000);
    await appendFile(
      join(dir, 'shop.log'),
      line('gateway', 'info', 'request received', 'd000000000000001', null, 1795641351.0) +
        line('payment-service', 'error', 'charge failed', 'd000000000000002', 'd000000000000001', 1795641351.2, { error: 'card declined' }) +
        line('gateway', 'error', 'request failed', 'd000000000000001', null, 1795641351.3),
    );
    await waitFor(() => proc!.stdout().includes('error origin'), 'the tree', 10_000);
    // Give a second tree the chance to (wrongly) appear.
    await appendFile(join(dir, 'shop.log'), line('gateway', 'fatal', 'sentinel', 'd000000000000003', null, 1795641352.0, { trace_id: 'ffffffffffffffffffffffffffffffff' }));
    await waitFor(() => proc!.stdout().includes('trace ffffffffffffffffffffffffffffffff'), 'the sentinel tree', 10_000);
    proc.child.kill('SIGINT');
    const { code } = await proc.exit;
    expect(code).toBe(0);
    const out = proc.stdout();
    expect(out.split(`trace ${TRACE}`).length - 1).toBe(1);
    expect(out).toContain('21:15:51.200 payment-service ERROR 4bf92f35 charge failed error="card declined"');
    expect(out).not.toContain('request received\n');
    const tree = out.slice(out.indexOf(`trace ${TRACE}`));
    expect(tree).toMatch(/gateway request received/);
    expect(tree).toMatch(/└─ payment-service charge failed/);
  });

  it('a usage error exits 2 with one line', async () => {
    proc = run(['tail', '--level', 'loud', 'x.log'], dir);
    const { code } = await proc.exit;
    expect(code).toBe(2);
    expect(proc.stderr()).toBe("mcp-trace: --level must be one of trace, debug, info, warn, error, fatal; got 'loud'\n");
  });
});
