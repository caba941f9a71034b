import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';

// Issue 18 item 2: every message on stderr is one line, starts with `mcp-trace`, and shows what a
// user, a file name or a file's content put in it escaped. Complements test/hostile/stderr-escapes.
const EVIL = '\u001b]0;PWNED\u0007\u001b[2J\u009b2J\u202e\u2066\u200b';
const SHOWN = '\\x1b]0;PWNED\\x07\\x1b[2J\\u009b2J\\u202e\\u2066\\u200b';
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

function expectOneCleanLine(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.slice(0, -1)).not.toMatch(RAW);
  expect(stderr.slice(0, -1).split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^mcp-trace: /);
}

describe("commander's own errors go through the same line", () => {
  it.each([
    ['unknown option', ['show', 'abc', `--x${EVIL}`], `unknown option '--x${SHOWN}'`],
    ['bad choice', ['show', 'abc', 'examples/api-gateway.log', '--format', `t${EVIL}`], `argument 't${SHOWN}' is invalid`],
    ['bad number', ['traces', 'examples/api-gateway.log', '--min-duration', `1${EVIL}`], `not '1${SHOWN}'`],
    ['unknown command', [`sh${EVIL}`], `unknown command 'sh${SHOWN}'`],
  ])('%s: prefixed, escaped, exit 2', async (_name, args, shown) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expectOneCleanLine(r.stderr);
    expect(r.stderr).toContain(shown);
  });
});

describe('file names and file contents echoed in errors', () => {
  it('a config file whose content and path hold escapes', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'mcp-trace-esc-')), `cfg${EVIL}`);
    mkdirSync(join(home, 'mcp-trace'), { recursive: true });
    writeFileSync(join(home, 'mcp-trace', 'config.json'), `{"profiles": ${EVIL}}`);
    const r = await runCli(['show', 'abc', '--loki', '--profile', 'x'], { env: { XDG_CONFIG_HOME: home } });
    expect(r.code).toBe(2);
    expectOneCleanLine(r.stderr);
    expect(r.stderr).toContain(`cfg${SHOWN}`);
    expect(r.stderr).toContain('is not valid JSON');
  });

  it('a spec file whose name holds escapes', async () => {
    const r = await runCli(['check', 'abc', 'examples/api-gateway.log', '--spec', `spec${EVIL}.yaml`]);
    expect(r.code).toBe(2);
    expectOneCleanLine(r.stderr);
    expect(r.stderr).toContain(`spec${SHOWN}.yaml`);
  });
});

describe('mcp', () => {
  it('the serving line names the sources escaped', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', `logs${EVIL}.log`], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 10_000;
    while (!stderr.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end(); // the client goes away: the server ends
    expect(await exited).toBe(0);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`mcp-trace mcp: serving over stdio (sources: logs${SHOWN}.log)`);
    // The background follow of the sources (for tail_errors) may add a notice: escaped too.
    for (const line of lines.slice(1)) expect(line).toBe(`mcp-trace mcp: cannot open logs${SHOWN}.log yet; waiting for it to appear`);
  });
});
