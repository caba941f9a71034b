import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 18 item 1: what the user gave for one Loki address must not reach another one that a
// redirect points at. Two in-process servers: `first` redirects, `second` records what it got.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const WINDOW = ['--from', '2026-11-25T21:00:00Z', '--to', '2026-11-25T22:00:00Z'];
const EMPTY = JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [], stats: {} } });

interface Recorder {
  server: Server;
  url: string;
  seen: IncomingHttpHeaders[];
}

async function listen(handle: (rec: Recorder, url: string, res: import('node:http').ServerResponse) => void): Promise<Recorder> {
  const rec: Recorder = { server: undefined as unknown as Server, url: '', seen: [] };
  rec.server = createServer((req, res) => {
    rec.seen.push(req.headers);
    handle(rec, req.url ?? '/', res);
  });
  await new Promise<void>((resolve) => rec.server.listen(0, '127.0.0.1', resolve));
  rec.url = `http://127.0.0.1:${(rec.server.address() as AddressInfo).port}`;
  return rec;
}

let second: Recorder;
let first: Recorder;
beforeAll(async () => {
  second = await listen((_rec, _url, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(EMPTY);
  });
  first = await listen((rec, url, res) => {
    // /same/… redirects within this origin, anything else to the other server.
    if (url.startsWith('/same/')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(EMPTY);
    const target = url.startsWith('/stay') ? `${rec.url}/same${url.slice('/stay'.length)}` : `${second.url}${url}`;
    res.writeHead(302, { location: target }).end();
  });
});
afterAll(() => {
  first.server.close();
  second.server.close();
});

const SECRETS = ['--header', 'X-Api-Key: tok123', '--header', 'X-Custom: hello', '--org-id', 'tenant-7'];

describe('headers across redirects', () => {
  it('drops --header values, the org id and basic auth on a redirect to another origin', async () => {
    first.seen.length = 0;
    second.seen.length = 0;
    const r = await runCli(['show', TRACE, '--loki', first.url, ...WINDOW, ...SECRETS, '--username', 'bob', '--password', 'pa55word-xyz']);
    expect(r.code).toBe(3); // followed, and the second server had nothing
    expect(first.seen[0]!['x-api-key']).toBe('tok123');
    expect(first.seen[0]!['x-scope-orgid']).toBe('tenant-7');
    expect(first.seen[0]!.authorization).toMatch(/^Basic /);
    expect(second.seen.length).toBeGreaterThan(0);
    for (const h of second.seen) {
      expect(h['x-api-key']).toBeUndefined();
      expect(h['x-custom']).toBeUndefined();
      expect(h['x-scope-orgid']).toBeUndefined();
      expect(h.authorization).toBeUndefined();
    }
  });

  it('drops a bearer token and credentials written in the address', async () => {
    second.seen.length = 0;
    const withUser = first.url.replace('http://', 'http://alice:s3cret-pw@');
    const r = await runCli(['show', TRACE, '--loki', withUser, ...WINDOW]);
    expect(r.code).toBe(3);
    expect(second.seen.length).toBeGreaterThan(0);
    for (const h of second.seen) expect(h.authorization).toBeUndefined();
    second.seen.length = 0;
    const r2 = await runCli(['show', TRACE, '--loki', first.url, ...WINDOW, '--bearer-token', 'bearer-abc-123']);
    expect(r2.code).toBe(3);
    for (const h of second.seen) expect(h.authorization).toBeUndefined();
  });

  it('keeps them on a redirect within the same origin', async () => {
    first.seen.length = 0;
    second.seen.length = 0;
    const base = `${first.url}/stay`;
    const r = await runCli(['show', TRACE, '--loki', base, ...WINDOW, ...SECRETS]);
    expect(r.code).toBe(3);
    expect(second.seen).toHaveLength(0);
    const followed = first.seen.filter((h) => h['x-api-key'] !== undefined);
    expect(followed.length).toBeGreaterThanOrEqual(2);
    expect(followed.every((h) => h['x-scope-orgid'] === 'tenant-7' && h['x-custom'] === 'hello')).toBe(true);
  });
});
