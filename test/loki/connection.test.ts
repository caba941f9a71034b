import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError, UsageError } from '../../src/errors.js';
import { lokiConnection, requestHeaders, tlsOptions, type LokiConnection } from '../../src/sources/loki/config.js';
import { LokiSource } from '../../src/sources/loki/loki-source.js';
import { newStats } from '../../src/types.js';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki.js';
import { FAST_RETRY } from './fixtures.js';

const T0 = 1_795_641_000_000_000_000n;
const ENTRY = { labels: { service_name: 'api' }, timeNs: T0, line: 'trace abc' };

let loki: FakeLoki | undefined;
afterEach(async () => {
  await loki?.close();
  loki = undefined;
});

async function fetchLines(conn: LokiConnection): Promise<string[]> {
  const source = new LokiSource(conn, { query: '{service_name=~".+"} |= "abc"', fromNs: T0 - 1000n, toNs: T0 + 1000n, parallel: 1, retry: FAST_RETRY });
  const lines: string[] = [];
  for await (const batch of source.read({ stats: newStats() })) lines.push(...batch.map((l) => l.text));
  return lines;
}

describe('what reaches the server', () => {
  it('sends basic auth, the org id, extra headers and categorize-labels', async () => {
    loki = await startFakeLoki({ entries: [ENTRY], auth: { username: 'bob', password: 's3cret' }, requireOrgId: true });
    const conn = lokiConnection(loki.url, { username: 'bob', password: 's3cret', orgId: 'tenant-1', headers: { 'X-Team': 'checkout' } });
    expect(await fetchLines(conn)).toEqual(['trace abc']);
    const headers = loki.queries[0]!.headers;
    expect(headers.authorization).toBe(`Basic ${Buffer.from('bob:s3cret').toString('base64')}`);
    expect(headers['x-scope-orgid']).toBe('tenant-1');
    expect(headers['x-team']).toBe('checkout');
    expect(headers['x-loki-response-encoding-flags']).toBe('categorize-labels');
  });

  it('sends a bearer token', async () => {
    loki = await startFakeLoki({ entries: [ENTRY], auth: { bearerToken: 'tok-123' } });
    expect(await fetchLines(lokiConnection(loki.url, { bearerToken: 'tok-123' }))).toEqual(['trace abc']);
    expect(loki.queries[0]!.headers.authorization).toBe('Bearer tok-123');
  });

  it('uses credentials written in the address, without sending them in the URL', async () => {
    loki = await startFakeLoki({ entries: [ENTRY], auth: { username: 'bob', password: 'p@ss' } });
    const url = loki.url.replace('http://', 'http://bob:p%40ss@');
    expect(await fetchLines(lokiConnection(url))).toEqual(['trace abc']);
  });

  it('keeps a path prefix in the address and sends Loki the query parameters it expects', async () => {
    loki = await startFakeLoki({ entries: [ENTRY], pathPrefix: '/prefix' });
    expect(await fetchLines(lokiConnection(`${loki.url}/prefix`))).toEqual(['trace abc']);
    const q = loki.requests[0]!;
    expect(q.query).toEqual({ query: '{service_name=~".+"} |= "abc"', start: String(T0 - 1000n), end: String(T0 + 1000n), limit: '5000', direction: 'forward' });
  });

  it('lets an explicit --header replace a computed one', () => {
    const headers = requestHeaders(lokiConnection('http://x', { orgId: 'a', headers: { 'x-scope-orgid': 'b' } }));
    expect(Object.entries(headers).filter(([k]) => k.toLowerCase() === 'x-scope-orgid')).toEqual([['x-scope-orgid', 'b']]);
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('TLS options', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-trace-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the CA, client cert and key, and verifies by default', () => {
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    writeFileSync(join(dir, 'c.pem'), 'CERT');
    writeFileSync(join(dir, 'k.pem'), 'KEY');
    const tls = tlsOptions(lokiConnection('https://x', { caCertPath: join(dir, 'ca.pem'), certPath: join(dir, 'c.pem'), keyPath: join(dir, 'k.pem') }));
    expect({ ...tls, ca: String(tls.ca), cert: String(tls.cert), key: String(tls.key) }).toEqual({ ca: 'CA', cert: 'CERT', key: 'KEY', rejectUnauthorized: true });
    expect(tlsOptions(lokiConnection('https://x', { tlsSkipVerify: true })).rejectUnauthorized).toBe(false);
  });

  it('names the setting when a TLS file cannot be read', () => {
    expect(() => tlsOptions(lokiConnection('https://x', { caCertPath: '/no/such/ca.pem' }))).toThrow(
      new UsageError('cannot read the CA certificate /no/such/ca.pem (ENOENT); check --ca-cert / LOKI_CA_CERT_PATH'),
    );
  });

  describe.skipIf(!hasOpenssl)('against an HTTPS fake Loki (self-signed, made with openssl)', () => {
    let key: Buffer;
    let cert: Buffer;
    beforeAll(() => {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'),
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      ], { stdio: 'ignore' });
      key = readFileSync(join(dir, 'server.key'));
      cert = readFileSync(join(dir, 'server.crt'));
    });

    it('refuses an unknown certificate, pointing at --ca-cert', async () => {
      loki = await startFakeLoki({ entries: [ENTRY], tls: { key, cert } });
      const err = await fetchLines(lokiConnection(loki.url)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceError);
      expect((err as Error).message).toBe(
        `cannot reach Loki at ${loki.url}: the server uses a self-signed TLS certificate; pass it with --ca-cert (or opt out with --tls-skip-verify)`,
      );
    });

    it('trusts it with --ca-cert, or with --tls-skip-verify', async () => {
      loki = await startFakeLoki({ entries: [ENTRY], tls: { key, cert } });
      expect(await fetchLines(lokiConnection(loki.url, { caCertPath: join(dir, 'server.crt') }))).toEqual(['trace abc']);
      expect(await fetchLines(lokiConnection(loki.url, { tlsSkipVerify: true }))).toEqual(['trace abc']);
    });

    it('presents the client certificate and key', async () => {
      loki = await startFakeLoki({ entries: [ENTRY], tls: { key, cert, clientCa: cert } });
      const conn = lokiConnection(loki.url, { caCertPath: join(dir, 'server.crt'), certPath: join(dir, 'server.crt'), keyPath: join(dir, 'server.key') });
      expect(await fetchLines(conn)).toEqual(['trace abc']);
      expect(loki.requests[0]!.clientCertCN).toBe('127.0.0.1');
    });
  });
});
