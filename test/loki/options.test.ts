import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { addLokiOptions, addWindowOptions, resolveLokiConnection, wantsLoki, type LokiFlags } from '../../src/cli/loki-options.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-trace-cfg-'));
  mkdirSync(join(dir, 'mcp-trace'));
  writeFileSync(join(dir, 'token'), 'file-token\n');
  writeFileSync(
    join(dir, 'mcp-trace', 'config.json'),
    JSON.stringify({
      defaultProfile: 'prod',
      profiles: {
        prod: { url: 'https://loki.prod.example', orgId: 'prod', username: 'prof-user', password: 'prof-pass', headers: { 'X-From': 'profile' }, timeout: '45s' },
        staging: { url: 'https://loki.staging.example', bearerTokenFile: join(dir, 'token'), tlsSkipVerify: true },
      },
    }),
  );
  env = { XDG_CONFIG_HOME: dir };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parses argv with the real flag definitions, as a command would. */
function flags(...argv: string[]): LokiFlags {
  const cmd = addWindowOptions(addLokiOptions(new Command('x').exitOverride()));
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

describe('resolving the Loki connection', () => {
  it('takes everything from flags', () => {
    const conn = resolveLokiConnection(
      flags('--loki', 'http://flag:3100', '--bearer-token', 't', '--org-id', 'o', '--header', 'X-A: 1', '--header', 'X-B:2', '--ca-cert', '/ca', '--cert', '/c', '--key', '/k', '--tls-skip-verify', '--timeout', '5s'),
      {},
    );
    expect(conn).toEqual({
      url: 'http://flag:3100', bearerToken: 't', orgId: 'o', headers: { 'X-A': '1', 'X-B': '2' },
      caCertPath: '/ca', certPath: '/c', keyPath: '/k', tlsSkipVerify: true, timeoutMs: 5000,
    });
  });

  it("reads logcli's LOKI_* variables", () => {
    const conn = resolveLokiConnection(flags('--loki'), {
      LOKI_ADDR: 'http://env:3100', LOKI_USERNAME: 'u', LOKI_PASSWORD: 'p', LOKI_ORG_ID: 'env-org',
      LOKI_CA_CERT_PATH: '/eca', LOKI_CLIENT_CERT_PATH: '/ec', LOKI_CLIENT_KEY_PATH: '/ek', LOKI_TLS_SKIP_VERIFY: 'true',
    });
    expect(conn).toEqual({
      url: 'http://env:3100', username: 'u', password: 'p', orgId: 'env-org', headers: {},
      caCertPath: '/eca', certPath: '/ec', keyPath: '/ek', tlsSkipVerify: true, timeoutMs: 30000,
    });
    expect(resolveLokiConnection(flags('--loki'), { LOKI_ADDR: 'http://e', LOKI_BEARER_TOKEN_FILE: join(dir, 'token') })!.bearerToken).toBe('file-token');
  });

  it('orders flag > env > profile, per setting', () => {
    const conn = resolveLokiConnection(flags('--profile', 'prod', '--org-id', 'flag-org'), { ...env, LOKI_ADDR: 'http://env:3100' });
    expect(conn).toMatchObject({ url: 'http://env:3100', orgId: 'flag-org', username: 'prof-user', password: 'prof-pass', headers: { 'X-From': 'profile' }, timeoutMs: 45000 });
    const fromProfile = resolveLokiConnection(flags('--profile', 'staging'), env);
    expect(fromProfile).toMatchObject({ url: 'https://loki.staging.example', bearerToken: 'file-token', tlsSkipVerify: true });
  });

  it('uses the default profile only when it also gives the address', () => {
    expect(resolveLokiConnection(flags('--loki'), env)).toMatchObject({ url: 'https://loki.prod.example', username: 'prof-user' });
    // Another address from the flag: the prod profile's password must not go there.
    const other = resolveLokiConnection(flags('--loki', 'http://other:3100'), env)!;
    expect(other.password).toBeUndefined();
    expect(other.orgId).toBeUndefined();
  });

  it('lets a higher level switch the auth method; the same level may not set both', () => {
    expect(resolveLokiConnection(flags('--profile', 'prod', '--bearer-token', 'tt'), env)).toMatchObject({ bearerToken: 'tt' });
    expect(resolveLokiConnection(flags('--profile', 'prod', '--bearer-token', 'tt'), env)!.password).toBeUndefined();
    expect(() => resolveLokiConnection(flags('--loki', 'http://x', '--username', 'u', '--bearer-token', 't'), {})).toThrow(UsageError);
    expect(() => resolveLokiConnection(flags('--loki', 'http://x'), { LOKI_PASSWORD: 'p', LOKI_BEARER_TOKEN: 't' })).toThrow(
      'use either basic auth (--username/--password) or a bearer token, not both (both are set in environment)',
    );
    expect(resolveLokiConnection(flags('--loki', 'http://x', '--username', 'u'), { LOKI_PASSWORD: 'envpass' })).toMatchObject({ username: 'u', password: 'envpass' });
  });

  it('returns null when Loki is not asked for and nothing names it', () => {
    expect(resolveLokiConnection(flags(), {})).toBeNull();
  });

  it('reports usage errors in one line', () => {
    expect(() => resolveLokiConnection(flags('--loki'), {})).toThrow('--loki needs an address: --loki http://host:3100, LOKI_ADDR, or a profile with "url"');
    expect(() => resolveLokiConnection(flags('--loki', 'localhost:3100'), {})).toThrow("the Loki address must start with http:// or https://, not 'localhost:3100'");
    expect(() => resolveLokiConnection(flags('--profile', 'dev'), env)).toThrow(`no profile 'dev' in ${join(dir, 'mcp-trace', 'config.json')}; known profiles: prod, staging`);
    expect(() => resolveLokiConnection(flags('--profile', 'dev'), { XDG_CONFIG_HOME: join(dir, 'none') })).toThrow(/no config file at .*none\/mcp-trace\/config.json/);
    expect(() => resolveLokiConnection(flags('--loki', 'http://x', '--header', 'nocolon'), {})).toThrow('--header takes "Name: value", not \'nocolon\'');
    expect(() => resolveLokiConnection(flags('--loki', 'http://x', '--timeout', 'soon'), {})).toThrow("--timeout takes a duration such as 500ms, 30s or 2m, not 'soon'");
    expect(() => flags('--parallel', '0')).toThrow('--parallel takes a whole number from 1 to 64, not \'0\'');
  });
});

describe('choosing Loki as the source', () => {
  it('uses Loki for --loki or --profile, and for LOKI_ADDR only when no files and nothing piped', () => {
    expect(wantsLoki({ loki: true }, { hasFiles: true, stdinIsTTY: false, env: {} })).toBe(true);
    expect(wantsLoki({ profile: 'prod' }, { hasFiles: false, stdinIsTTY: false, env: {} })).toBe(true);
    expect(wantsLoki({}, { hasFiles: false, stdinIsTTY: true, env: { LOKI_ADDR: 'http://x' } })).toBe(true);
    expect(wantsLoki({}, { hasFiles: true, stdinIsTTY: true, env: { LOKI_ADDR: 'http://x' } })).toBe(false);
    expect(wantsLoki({}, { hasFiles: false, stdinIsTTY: false, env: { LOKI_ADDR: 'http://x' } })).toBe(false);
    expect(wantsLoki({}, { hasFiles: false, stdinIsTTY: true, env: {} })).toBe(false);
    expect(wantsLoki({}, { hasFiles: false, stdinIsTTY: true, env })).toBe(true);
  });
});
