import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 18 item 2: what a server, a file name or the user controls reaches stderr escaped, as on
// stdout. Every message is checked for the raw characters and for their visible escape.
const ESC = '\u001b';
const BEL = '\u0007';
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
const WINDOW = ['--from', '2026-11-25T21:00:00Z', '--to', '2026-11-25T22:00:00Z'];
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/html/')) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(`<html><head><title>Bad${ESC}[2J gateway${ESC}]0;PWNED${BEL}</title></head><body>x</body></html>`);
      return;
    }
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`parse error at line 1, col 3: ${ESC}]0;TITLE${BEL}${ESC}[2J\u009b2J \u202eevil\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => void server.close());

function expectClean(stderr: string): void {
  expect(stderr.trimEnd()).not.toMatch(RAW);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('stderr carries no raw escapes', () => {
  it('a Loki 400 body', async () => {
    const r = await runCli(['show', TRACE, '--loki', base, ...WINDOW]);
    expect(r.code).toBe(4);
    expectClean(r.stderr);
    expect(r.stderr).toContain('\\x1b]0;TITLE\\x07\\x1b[2J\\u009b2J \\u202eevil');
  });

  it('the title of an HTML error page', async () => {
    const r = await runCli(['show', TRACE, '--loki', `${base}/html`, ...WINDOW]);
    expect(r.code).toBe(4);
    expectClean(r.stderr);
    expect(r.stderr).toContain('\\x1b[2J');
  });

  it('a corrupt file whose name holds escapes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-h18-'));
    const name = join(dir, `bad${ESC}[2J\u202ename.log.gz`);
    writeFileSync(name, gzipSync(Buffer.from('{"msg":"hello"}\n'.repeat(100))).subarray(0, 20));
    const r = await runCli(['show', TRACE, name]);
    expect(r.code).toBe(4);
    expectClean(r.stderr);
    expect(r.stderr).toContain('bad\\x1b[2J\\u202ename.log.gz');
  });

  it('the trace id echoed by "not found"', async () => {
    const r = await runCli(['show', `abc${ESC}]0;T${BEL}\u009b\u200b`, 'examples/api-gateway.log']);
    expect(r.code).toBe(3);
    expectClean(r.stderr);
    expect(r.stderr).toContain('abc\\x1b]0;T\\x07\\u009b\\u200b');
  });

  it('flag values and command names in usage errors', async () => {
    const bad = await runCli(['traces', '--limit', `x${ESC}[2J`, 'examples/api-gateway.log']);
    expect(bad.code).toBe(2);
    expectClean(bad.stderr);
    expect(bad.stderr).toContain('x\\x1b[2J');
    const cmd = await runCli([`sh${ESC}[2J\u202e`]);
    expect(cmd.code).toBe(2);
    expectClean(cmd.stderr);
    expect(cmd.stderr).toContain('sh\\x1b[2J\\u202e');
    const time = await runCli(['show', TRACE, '--loki', base, '--since', `1h${ESC}]0;x${BEL}`]);
    expect(time.code).toBe(2);
    expectClean(time.stderr);
  });
});
