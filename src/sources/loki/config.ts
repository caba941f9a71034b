import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';

/**
 * Everything needed to talk to one Loki server, resolved from flags, env and profile
 * (see src/cli/loki-options.ts). Shared by the query_range source and the websocket tail.
 */
export interface LokiConnection {
  /** Base address, e.g. `http://localhost:3100` or `https://gw.example.com/loki-prefix`. */
  url: string;
  username?: string;
  password?: string;
  bearerToken?: string;
  /** Tenant, sent as `X-Scope-OrgID`. */
  orgId?: string;
  /** Extra headers from `--header 'K: v'`; they win over the ones we compute. */
  headers: Record<string, string>;
  caCertPath?: string;
  certPath?: string;
  keyPath?: string;
  tlsSkipVerify: boolean;
  /** Per-request timeout. */
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** A connection with defaults filled in; handy in tests and for callers building one by hand. */
export function lokiConnection(url: string, extra: Partial<LokiConnection> = {}): LokiConnection {
  return { url, headers: {}, tlsSkipVerify: false, timeoutMs: DEFAULT_TIMEOUT_MS, ...extra };
}

/**
 * Headers for every request (HTTP and the websocket upgrade alike). The categorize-labels flag
 * makes Loki 3 split structured metadata and parsed labels from stream labels; Loki 2 ignores it.
 */
export function requestHeaders(conn: LokiConnection): Record<string, string> {
  const headers: Record<string, string> = { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' };
  if (conn.username !== undefined || conn.password !== undefined) {
    const pair = `${conn.username ?? ''}:${conn.password ?? ''}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else if (conn.bearerToken) {
    headers.Authorization = `Bearer ${conn.bearerToken}`;
  } else {
    // `http://user:pass@host` works as it does in a browser; the address itself is never sent with it.
    const basic = urlCredentials(conn.url);
    if (basic) headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  if (conn.orgId) headers['X-Scope-OrgID'] = conn.orgId;
  for (const [name, value] of Object.entries(conn.headers)) {
    // An explicit --header replaces a computed one of the same name, whatever its case.
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    headers[name] = value;
  }
  return headers;
}

function urlCredentials(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return null;
    return `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  } catch {
    return null;
  }
}

/** TLS material in the shape node:https and `ws` take directly. */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

/** Reads the TLS files named by the connection. A file that cannot be read is a usage error. */
export function tlsOptions(conn: LokiConnection): TlsOptions {
  const options: TlsOptions = { rejectUnauthorized: !conn.tlsSkipVerify };
  if (conn.caCertPath) options.ca = readTlsFile(conn.caCertPath, 'CA certificate', '--ca-cert / LOKI_CA_CERT_PATH');
  if (conn.certPath) options.cert = readTlsFile(conn.certPath, 'client certificate', '--cert / LOKI_CLIENT_CERT_PATH');
  if (conn.keyPath) options.key = readTlsFile(conn.keyPath, 'client key', '--key / LOKI_CLIENT_KEY_PATH');
  if (Boolean(options.cert) !== Boolean(options.key)) {
    throw new UsageError('a TLS client certificate needs both --cert and --key (or LOKI_CLIENT_CERT_PATH and LOKI_CLIENT_KEY_PATH)');
  }
  return options;
}

function readTlsFile(path: string, what: string, setting: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the ${what} ${path} (${code}); check ${setting}`);
  }
}

/** An API endpoint under the base address, keeping any path prefix the address has. */
export function endpointUrl(conn: LokiConnection, path: string): URL {
  const base = new URL(conn.url);
  base.username = '';
  base.password = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(path.replace(/^\//, ''), base);
}

/** The address for messages: no credentials, no trailing slash. */
export function displayUrl(conn: LokiConnection): string {
  try {
    const url = new URL(conn.url);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return redact(conn.url, conn);
  }
}

const SECRET_HEADER = /authorization|cookie|token|secret|key|password|api[-_]?key/i;
const MASK = '***';

/**
 * Removes every secret the connection holds from a message: password, token, the basic-auth
 * blob, credentials embedded in the URL and the values of secret-looking extra headers.
 * Every message that may echo a request (errors, --verbose) goes through here.
 */
export function redact(text: string, conn: LokiConnection): string {
  const secrets = new Set<string>();
  if (conn.password) secrets.add(conn.password);
  if (conn.bearerToken) secrets.add(conn.bearerToken);
  const auth = requestHeaders(conn).Authorization;
  if (auth) secrets.add(auth.replace(/^\S+\s+/, ''));
  for (const [name, value] of Object.entries(conn.headers)) {
    if (SECRET_HEADER.test(name) && value) {
      secrets.add(value);
      secrets.add(value.replace(/^\S+\s+/, ''));
    }
  }
  try {
    const url = new URL(conn.url);
    if (url.password) {
      secrets.add(url.password);
      secrets.add(decodeURIComponent(url.password));
    }
  } catch {
    // Not a URL: nothing embedded to hide.
  }
  let out = text;
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(MASK);
  }
  // Any userinfo left in a URL (another address, a redirect) is masked too.
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi, `$1${MASK}@`);
}
