import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { lokiConnection, type LokiConnection } from '../../src/sources/loki/config.js';
import { LokiSource } from '../../src/sources/loki/loki-source.js';
import { newStats } from '../../src/types.js';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki.js';
import { FAST_RETRY, fixture } from './fixtures.js';

const T0 = 1_795_641_000_000_000_000n;
const HOUR = 3_600_000_000_000n;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const ENTRY = { labels: { service_name: 'api' }, timeNs: T0, line: `{"trace_id":"${TRACE}"}` };

let loki: FakeLoki | undefined;
afterEach(async () => {
  await loki?.close();
  loki = undefined;
});

async function fetchLines(conn: LokiConnection, query = `{service_name=~".+"} |= "${TRACE}"`, log?: (l: string) => void) {
  const source = new LokiSource(conn, { query, fromNs: T0 - HOUR, toNs: T0 + HOUR, parallel: 1, retry: FAST_RETRY, log });
  const lines: string[] = [];
  for await (const batch of source.read({ stats: newStats() })) lines.push(...batch.map((l) => l.text));
  return lines;
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  expect((err as SourceError).exitCode).toBe(4);
  return err as SourceError;
}

describe('retries', () => {
  it('retries 429 and 503 and then succeeds', async () => {
    loki = await startFakeLoki({ entries: [ENTRY] });
    loki.failNext({ status: 429 }, { status: 503 });
    expect(await fetchLines(lokiConnection(loki.url))).toEqual([ENTRY.line]);
    expect(loki.queries).toHaveLength(3);
  });

  it('retries a reset connection and a proxy 502 page', async () => {
    loki = await startFakeLoki({ entries: [ENTRY] });
    loki.failNext({ kind: 'reset' }, { kind: 'html' });
    expect(await fetchLines(lokiConnection(loki.url))).toEqual([ENTRY.line]);
    expect(loki.queries).toHaveLength(3);
  });

  it('gives up after the retry limit with the last status and the attempts', async () => {
    loki = await startFakeLoki({ entries: [ENTRY] });
    loki.failNext(...Array.from({ length: 10 }, () => ({ status: 503 as const })));
    const err = await failure(fetchLines(lokiConnection(loki.url)));
    expect(err.message).toBe(`Loki at ${loki.url} failed (503) after 4 attempts: upstream connect error or disconnect/reset before headers`);
    expect(loki.queries).toHaveLength(1 + FAST_RETRY.limit);
  });

  it('never retries a 400', async () => {
    loki = await startFakeLoki({ entries: [ENTRY] });
    const err = await failure(fetchLines(lokiConnection(loki.url), '{service_name="order-service"'));
    expect(err.message).toBe(`Loki rejected the query (400): ${fixture('error_400_parse_error.txt')}`);
    expect(loki.queries).toHaveLength(1);
  });
});

describe('error messages', () => {
  it('shows the empty-compatible matcher error as Loki wrote it, on one line', async () => {
    loki = await startFakeLoki();
    const err = await failure(fetchLines(lokiConnection(loki.url), '{service_name=~".*"} |= "x"'));
    expect(err.message).toBe(`Loki rejected the query (400): ${fixture('error_400_empty_compatible_matcher.txt')}`);
    expect(err.message).not.toContain('\n');
  });

  it('summarises an HTML proxy page instead of dumping it', async () => {
    loki = await startFakeLoki();
    loki.failNext(...Array.from({ length: 4 }, () => ({ kind: 'html' as const })));
    const err = await failure(fetchLines(lokiConnection(loki.url)));
    expect(err.message).toBe(
      `Loki at ${loki.url} answered 502 after 4 attempts with an HTML page (502 Bad Gateway): a proxy in front of Loki failed or the address is not Loki's; check --loki or LOKI_ADDR`,
    );
    expect(err.message).not.toContain('<');
  });

  it('names the auth settings on 401, and the tenant when the org id is missing', async () => {
    loki = await startFakeLoki({ auth: { username: 'u', password: 'right' } });
    const err = await failure(fetchLines(lokiConnection(loki.url)));
    expect(err.message).toBe(
      `Loki at ${loki.url} refused the request (401: Unauthorized); set --username/--password or --bearer-token (LOKI_USERNAME/LOKI_PASSWORD, LOKI_BEARER_TOKEN)`,
    );
    const wrong = await failure(fetchLines(lokiConnection(loki.url, { username: 'u', password: 'wrong-pass' })));
    expect(wrong.message).toMatch(/refused the request \(401: Unauthorized\); check --username\/--password/);
    await loki.close();
    loki = await startFakeLoki({ requireOrgId: true });
    const tenant = await failure(fetchLines(lokiConnection(loki.url)));
    expect(tenant.message).toMatch(/\(401: no org id\); .* and --org-id \(LOKI_ORG_ID\)$/);
  });

  it('says the address has no Loki API on 404', async () => {
    loki = await startFakeLoki();
    const err = await failure(fetchLines(lokiConnection(`${loki.url}/grafana`)));
    expect(err.message).toBe(`Loki at ${loki.url}/grafana has no query API (404: 404 page not found); check --loki or LOKI_ADDR (the base address, without /loki/api/v1)`);
  });

  it('names the address when the connection is refused', async () => {
    loki = await startFakeLoki();
    const url = loki.url;
    await loki.close();
    loki = undefined;
    const err = await failure(fetchLines(lokiConnection(url)));
    expect(err.message).toBe(`cannot reach Loki at ${url} (4 attempts): connection refused; is Loki running there? check --loki or LOKI_ADDR`);
  });

  it('names the address when DNS fails, without retrying', async () => {
    const err = await failure(fetchLines(lokiConnection('http://no-such-host.invalid:3100')));
    expect(err.message).toBe('cannot reach Loki at http://no-such-host.invalid:3100: the host name does not resolve; check --loki or LOKI_ADDR');
  });

  it('says when the server is too slow, naming --timeout', async () => {
    loki = await startFakeLoki({ latencyMs: 200 });
    const err = await failure(fetchLines(lokiConnection(loki.url, { timeoutMs: 20 })));
    expect(err.message).toMatch(new RegExp(`^Loki at ${loki.url} did not answer within 20ms \\(4 attempts\\); raise --timeout or narrow the window$`));
  });

  it('refuses a metric query with a clear reason', async () => {
    loki = await startFakeLoki();
    loki.onRequest = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(fixture('query_range_matrix.json'));
      return true;
    };
    const err = await failure(fetchLines(lokiConnection(loki.url)));
    expect(err.message).toBe('Loki answered an unexpected shape: resultType matrix (a metric query?); give a log query');
  });
});

describe('credentials never shown', () => {
  const PASSWORD = 'hunter2-secret';
  const TOKEN = 'glc_eyJrIjoiverysecret';

  it('keeps the password and token out of errors and --verbose lines', async () => {
    loki = await startFakeLoki({ auth: { bearerToken: 'other' } });
    const logged: string[] = [];
    const withUrlCreds = lokiConnection(loki.url.replace('http://', `http://bob:${PASSWORD}@`), { bearerToken: TOKEN, headers: { 'X-Api-Key': 'k3y-value' } });
    const err = await failure(fetchLines(withUrlCreds, undefined, (l) => logged.push(l)));
    const text = [err.message, ...logged].join('\n');
    expect(logged.some((l) => l.startsWith('GET '))).toBe(true);
    for (const secret of [PASSWORD, TOKEN, 'k3y-value', Buffer.from(`bob:${PASSWORD}`).toString('base64')]) expect(text).not.toContain(secret);
  });

  it('masks secrets a server echoes back in its error body', async () => {
    loki = await startFakeLoki();
    loki.failNext(...Array.from({ length: 4 }, () => ({ status: 429, body: `rate limited: password ${PASSWORD}` })));
    const err = await failure(fetchLines(lokiConnection(loki.url, { username: 'bob', password: PASSWORD })));
    expect(err.message).toBe(`Loki at ${loki.url} kept rate-limiting the query (429) after 4 attempts: rate limited: password ***; try again later or lower --parallel`);
    loki.failNext({ status: 400, body: `bad token ${TOKEN}` });
    const err2 = await failure(fetchLines(lokiConnection(loki.url, { bearerToken: TOKEN })));
    expect(err2.message).toBe('Loki rejected the query (400): bad token ***');
  });
});
