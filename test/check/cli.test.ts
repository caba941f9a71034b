import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';
import { DEEP_FAILURE, EXAMPLE_GLOB, SLOW, TIMEOUT } from './examples.js';
import { childrenNamed, parseXml } from './xml.js';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mcp-trace-check-'));
}

describe('mcp-trace check (spawned): exit codes', () => {
  it('0 when every assertion passes', async () => {
    const r = await runCli(['check', SLOW, EXAMPLE_GLOB, '--no-errors', '--expect-service', 'fraud-check', '--min-spans', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✔ trace d3b07384d113edec49eaa6238ad5ff00 · 8\d\dms · 5 spans · 0 errors\n/);
    expect(r.stdout).toMatch(/\nall 3 assertions passed\n$/);
  });

  it('1 when one fails, saying what was expected and seen', async () => {
    const r = await runCli(['check', TIMEOUT, EXAMPLE_GLOB, '--max-duration', '1s', '--expect-service', 'api-gateway']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\n {2}✘ max-duration 1s: trace took 4\.7\ds \(fraud-check:POST \/v1\/score 4\.\d\ds\)\n/);
    expect(r.stdout).toContain('  ✔ expect-service api-gateway: all 1 service present');
    expect(r.stdout).toMatch(/\n1 of 2 assertions failed\n$/);
  });

  it('2 for bad flags and bad spec files, naming the rule and the line', async () => {
    const bad = await runCli(['check', DEEP_FAILURE, EXAMPLE_GLOB, '--max-duration', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("mcp-trace: --max-duration takes a duration with a unit like 800ms, 1.5s or 2m, not 'soon'\n");
    const dir = await tmp();
    const spec = join(dir, 'smoke.yaml');
    await writeFile(spec, '- name: fast\n  max-duration: 1s\n- name: latency\n  max-latency: 300ms\n');
    const r = await runCli(['check', DEEP_FAILURE, EXAMPLE_GLOB, '--spec', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mcp-trace: ${spec}:4: unknown rule 'max-latency'; rules are: no-errors, max-duration, expect-service, expect-span, max-span-duration, min-spans\n`);
    expect(r.stdout).toBe('');
    expect((await runCli(['check', '--no-errors'])).code).toBe(2);
    const stdinWait = await runCli(['check', DEEP_FAILURE, '--wait', '5s'], { stdin: '' });
    expect(stdinWait.code).toBe(2);
    expect(stdinWait.stderr).toMatch(/--wait reads the logs again on every poll/);
  });

  it('3 when the trace is not found, also after --wait', async () => {
    const r = await runCli(['check', 'ffffffffffffffffffffffffffffffff', EXAMPLE_GLOB, '--no-errors']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('mcp-trace: trace ffffffffffffffffffffffffffffffff not found in 5 files (481 lines read)\n');
    const waited = await runCli(['check', 'ffffffffffffffffffffffffffffffff', EXAMPLE_GLOB, '--wait', '300ms', '--poll-interval', '100ms']);
    expect(waited.code).toBe(3);
    expect(waited.stderr).toMatch(/^mcp-trace: poll 1 for trace f+: not found yet/);
    expect(waited.stderr).toMatch(/mcp-trace: trace f+ not found in 5 files \(481 lines read\) after waiting 300ms\n$/);
  });

  it('4 when a source cannot be read', async () => {
    const r = await runCli(['check', DEEP_FAILURE, 'missing-service.log', '--no-errors']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mcp-trace: .*missing-service\.log/);
  });
});

describe('mcp-trace check (spawned): reports', () => {
  it('--junit writes a report while the list still goes to stdout', async () => {
    const dir = await tmp();
    const report = join(dir, 'report.xml');
    const r = await runCli(['check', DEEP_FAILURE, EXAMPLE_GLOB, '--no-errors', '--max-duration', '1s', '--junit', report]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✘ no-errors');
    const root = parseXml(await readFile(report, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1', errors: '0' });
    const cases = childrenNamed(childrenNamed(root, 'testsuite')[0]!, 'testcase');
    expect(cases.map((c) => [c.attributes.name, childrenNamed(c, 'failure').length])).toEqual([
      ['no-errors', 1],
      ['max-duration 1s', 0],
    ]);
  });

  it('--all checks every trace: one testsuite each, exit 1 when any fails', async () => {
    const dir = await tmp();
    const report = join(dir, 'all.xml');
    const r = await runCli(['check', '--all', EXAMPLE_GLOB, '--no-errors', '--json', '--junit', report]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { passed: boolean; traces: Array<{ traceId: string; passed: boolean }> };
    expect(json.passed).toBe(false);
    expect(json.traces).toHaveLength(30);
    expect(json.traces.filter((t) => !t.passed).map((t) => t.traceId).sort()).toEqual(
      [DEEP_FAILURE, TIMEOUT, '6e1f3b0c9a8d47f2b5c4e3a2d1f09e87'].sort(),
    );
    const root = parseXml(await readFile(report, 'utf8'));
    expect(childrenNamed(root, 'testsuite')).toHaveLength(30);
    expect(root.attributes).toMatchObject({ tests: '30', failures: '3' });
  });

  it('--markdown appends to GITHUB_STEP_SUMMARY and keeps the list on stdout', async () => {
    const dir = await tmp();
    const summary = join(dir, 'summary.md');
    await writeFile(summary, '# earlier step\n');
    const env = { GITHUB_STEP_SUMMARY: summary };
    const r = await runCli(['check', SLOW, EXAMPLE_GLOB, '--no-errors', '--markdown'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ no-errors');
    await runCli(['check', DEEP_FAILURE, EXAMPLE_GLOB, '--no-errors', '--markdown'], { env });
    const md = await readFile(summary, 'utf8');
    expect(md.startsWith('# earlier step\n### mcp-trace check: ✅ all 1 assertion passed')).toBe(true);
    expect(md).toContain('### mcp-trace check: ❌ 1 of 1 assertion failed');
    const plain = await runCli(['check', SLOW, EXAMPLE_GLOB, '--no-errors', '--markdown'], { env: { GITHUB_STEP_SUMMARY: undefined } });
    expect(plain.stdout).toMatch(/^### mcp-trace check: ✅/);
  });
});

describe('mcp-trace check --wait (spawned)', () => {
  it('polls a file that is written to while it waits, until the span count settles', async () => {
    const dir = await tmp();
    const read = async (name: string) => (await readFile(join(REPO_ROOT, 'examples', name), 'utf8')).split('\n');
    const orderLines = await read('order-service.log');
    const paymentLines = await read('payment-service.log');
    const apiLines = await read('api-gateway.log');
    const of = (lines: string[]) => lines.filter((l) => l.includes(DEEP_FAILURE)).join('\n') + '\n';
    // At first the log holds other requests only.
    await writeFile(join(dir, 'order-service.log'), orderLines.filter((l) => l.includes(SLOW)).join('\n') + '\n');

    const child = spawn(
      process.execPath,
      [BIN, 'check', DEEP_FAILURE, join(dir, '*.log'), '--wait', '20s', '--poll-interval', '700ms', '--min-spans', '3', '--json'],
      { cwd: REPO_ROOT, env: { ...process.env, CI: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const steps: Array<() => Promise<void>> = [
      // After poll 1 (not found): the order and payment services log the request.
      () => appendFile(join(dir, 'order-service.log'), of(orderLines) + of(paymentLines)),
      // After poll 2: the gateway's log file appears.
      () => writeFile(join(dir, 'api-gateway.log'), of(apiLines)),
    ];
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const polls = stderr.split('\n').filter((l) => l.startsWith('mcp-trace: poll')).length;
      while (steps.length > 0 && polls >= 3 - steps.length) void steps.shift()!();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    const polls = stderr.split('\n').filter((l) => l.startsWith('mcp-trace: poll'));
    expect(polls[0]).toMatch(/^mcp-trace: poll 1 for trace 4bf92f3577b34da6a3ce929d0e0e4736: not found yet \(\d+s left\)$/);
    // The gateway's span is referenced before it is logged: a placeholder, so 3 spans already.
    expect(polls[1]).toMatch(/: 3 spans, 10 lines \(\d+s left\)$/);
    expect(polls.at(-1)).toMatch(/: 3 spans, 14 lines \(\d+s left\)$/);
    expect(polls.at(-2)).toMatch(/: 3 spans, 14 lines \(\d+s left\)$/);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { traces: Array<{ spanCount: number; notes: string[]; services: string[] }> };
    expect(json.traces[0]).toMatchObject({ spanCount: 3, notes: [], services: ['api-gateway', 'order-service', 'payment-service'] });
  });
});
