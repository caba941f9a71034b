import { homedir } from 'node:os';
import { Option, type Command } from 'commander';
import { durationFlagMs } from './flags.js';
import { UsageError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, type LokiConnection } from '../sources/loki/config.js';
import { loadProfile, type LokiProfile } from './profile-config.js';
import { readSmallFile, sizeWords } from './small-file.js';

/** Connection flags as commander hands them over. */
export interface LokiFlags {
  /** `--loki` alone is `true`; `--loki <url>` the address. */
  loki?: string | boolean;
  username?: string;
  password?: string;
  bearerToken?: string;
  bearerTokenFile?: string;
  orgId?: string;
  header?: string[];
  caCert?: string;
  cert?: string;
  key?: string;
  tlsSkipVerify?: boolean;
  timeout?: string;
  profile?: string;
}

/** Window and query flags for commands that search Loki (show, traces, check; tail uses the query part). */
export interface LokiWindowFlags {
  since?: string;
  from?: string;
  to?: string;
  selector?: string;
  /** Comma-separated service names. */
  service?: string;
  parallel?: number;
  pageSize?: number;
}

/** The connection flags, named as logcli names them so users can reuse their settings. */
export function addLokiOptions(cmd: Command): Command {
  const options = [
    new Option('--loki [url]', "read from Grafana Loki at this address (default: LOKI_ADDR or the profile's url)"),
    new Option('--username <name>', 'Loki basic auth user (LOKI_USERNAME)'),
    new Option('--password <password>', 'Loki basic auth password (LOKI_PASSWORD)'),
    new Option('--bearer-token <token>', 'Loki bearer token (LOKI_BEARER_TOKEN)'),
    new Option('--bearer-token-file <path>', 'file holding the Loki bearer token (LOKI_BEARER_TOKEN_FILE)'),
    new Option('--org-id <tenant>', 'Loki tenant, sent as X-Scope-OrgID (LOKI_ORG_ID)'),
    new Option('--header <"Name: value">', 'extra HTTP header for Loki, repeatable').argParser(collect),
    new Option('--ca-cert <path>', 'CA certificate to verify Loki with (LOKI_CA_CERT_PATH)'),
    new Option('--cert <path>', 'TLS client certificate (LOKI_CLIENT_CERT_PATH)'),
    new Option('--key <path>', 'TLS client key (LOKI_CLIENT_KEY_PATH)'),
    new Option('--tls-skip-verify', "don't verify Loki's TLS certificate (LOKI_TLS_SKIP_VERIFY)"),
    new Option('--timeout <duration>', 'per-request timeout for Loki (default: 30s)'),
    new Option('--profile <name>', 'Loki settings from a profile in ~/.config/mcp-trace/config.json'),
    new Option('--verbose', 'print each Loki request on stderr (secrets masked)'),
  ];
  for (const option of options) addOnce(cmd, option.helpGroup(LOKI_HEADING));
  return cmd;
}

/** `--help` lists a command's own flags first, then these under their own heading. */
export const LOKI_HEADING = 'Loki options:';

/**
 * Time window and query flags. `filesToo`: the command also filters files by the window and the
 * service (traces, map), so those are among its own flags in --help; elsewhere they are Loki's.
 */
export function addWindowOptions(cmd: Command, { filesToo = false }: { filesToo?: boolean } = {}): Command {
  const window = [
    new Option('--since <duration>', 'search the last 30m, 1h, 2d… (default: the last hour)'),
    new Option('--from <time>', 'window start: RFC3339, now-2h, 2h (ago) or unix time'),
    new Option('--to <time>', 'window end (default: now)'),
    new Option('--service <names>', 'only these services (comma-separated)'),
  ];
  const query = [
    new Option('--selector <logql>', 'Loki stream selector (default: {service_name=~".+"})'),
    new Option('--parallel <n>', 'Loki sub-ranges fetched at once (default: 4)').argParser(positiveInt('--parallel', 64)),
    new Option('--page-size <n>', 'entries per Loki request (default: 5000, the most)').argParser(positiveInt('--page-size', 5000)),
  ];
  for (const option of window) addOnce(cmd, filesToo ? option : option.helpGroup(LOKI_HEADING));
  for (const option of query) addOnce(cmd, option.helpGroup(LOKI_HEADING));
  return cmd;
}

/** Another command may already own a flag of the same name (e.g. --service); keep theirs. */
function addOnce(cmd: Command, option: Option): void {
  if (!cmd.options.some((o) => o.long === option.long)) cmd.addOption(option);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInt(flag: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} takes a whole number from 1 to ${max}, not '${value}'`);
    return n;
  };
}

/**
 * Whether Loki is the source: `--loki` or `--profile` given, or — with no files named and nothing
 * piped in — LOKI_ADDR set or a default profile configured.
 */
export function wantsLoki(flags: LokiFlags, context: { hasFiles: boolean; stdinIsTTY: boolean; env?: NodeJS.ProcessEnv }): boolean {
  if (flags.loki !== undefined || flags.profile !== undefined) return true;
  if (context.hasFiles || !context.stdinIsTTY) return false;
  const env = context.env ?? process.env;
  if (nonEmpty(env.LOKI_ADDR)) return true;
  return loadProfile(undefined, env)?.profile.url !== undefined;
}

/**
 * The connection to use, with precedence flag > environment (logcli's LOKI_* names) > profile.
 * Null when Loki was not asked for and nothing names an address.
 *
 * Credentials go together: the highest level that sets any (basic or bearer) decides the method,
 * and basic auth plus a bearer token on the same level is a usage error. A default profile only
 * applies when it also supplies the address, so its secrets never go to another server.
 */
export function resolveLokiConnection(flags: LokiFlags, env: NodeJS.ProcessEnv = process.env): LokiConnection | null {
  const flagUrl = typeof flags.loki === 'string' ? flags.loki : undefined;
  const envUrl = nonEmpty(env.LOKI_ADDR);
  const loaded = flags.profile !== undefined || (flagUrl === undefined && envUrl === undefined) ? loadProfile(flags.profile, env) : null;
  const profile: LokiProfile = loaded?.profile ?? {};
  const rawUrl = flagUrl ?? envUrl ?? profile.url;
  if (rawUrl === undefined) {
    if (flags.loki !== undefined || flags.profile !== undefined) {
      throw new UsageError('--loki needs an address: --loki http://host:3100, LOKI_ADDR, or a profile with "url"');
    }
    return null;
  }
  const profileLabel = loaded ? `profile '${loaded.name}'` : 'profile';

  const connection: LokiConnection = {
    url: checkUrl(rawUrl),
    headers: { ...(profile.headers ?? {}), ...parseHeaders(flags.header ?? []) },
    tlsSkipVerify: flags.tlsSkipVerify === true || envFlag(env.LOKI_TLS_SKIP_VERIFY) || profile.tlsSkipVerify === true,
    timeoutMs: parseTimeout(flags.timeout ?? profile.timeout),
  };
  Object.assign(
    connection,
    resolveAuth([
      { label: 'flags', username: flags.username, password: flags.password, bearerToken: flags.bearerToken, bearerTokenFile: flags.bearerTokenFile },
      {
        label: 'environment',
        username: nonEmpty(env.LOKI_USERNAME),
        password: nonEmpty(env.LOKI_PASSWORD),
        bearerToken: nonEmpty(env.LOKI_BEARER_TOKEN),
        bearerTokenFile: nonEmpty(env.LOKI_BEARER_TOKEN_FILE),
      },
      { label: profileLabel, ...pick(profile, ['username', 'password', 'bearerToken', 'bearerTokenFile']) },
    ]),
  );
  setIf(connection, 'orgId', flags.orgId ?? nonEmpty(env.LOKI_ORG_ID) ?? profile.orgId);
  setIf(connection, 'caCertPath', expandHome(flags.caCert ?? nonEmpty(env.LOKI_CA_CERT_PATH) ?? profile.caCert));
  setIf(connection, 'certPath', expandHome(flags.cert ?? nonEmpty(env.LOKI_CLIENT_CERT_PATH) ?? profile.cert));
  setIf(connection, 'keyPath', expandHome(flags.key ?? nonEmpty(env.LOKI_CLIENT_KEY_PATH) ?? profile.key));
  return connection;
}

interface AuthLevel {
  label: string;
  username?: string;
  password?: string;
  bearerToken?: string;
  bearerTokenFile?: string;
}

function resolveAuth(levels: AuthLevel[]): Pick<LokiConnection, 'username' | 'password' | 'bearerToken'> {
  for (const [i, level] of levels.entries()) {
    const basic = level.username !== undefined || level.password !== undefined;
    const bearer = level.bearerToken !== undefined || level.bearerTokenFile !== undefined;
    if (basic && bearer) {
      throw new UsageError(`use either basic auth (--username/--password) or a bearer token, not both (both are set in ${level.label})`);
    }
    if (bearer) {
      if (level.bearerToken !== undefined && level.bearerTokenFile !== undefined) {
        throw new UsageError(`use either --bearer-token or --bearer-token-file, not both (both are set in ${level.label})`);
      }
      return { bearerToken: level.bearerToken ?? readTokenFile(level.bearerTokenFile!) };
    }
    if (basic) {
      // A user on the command line with the password in the environment is the usual split.
      const lower = levels.slice(i + 1);
      const out: Pick<LokiConnection, 'username' | 'password'> = {};
      setIf(out, 'username', level.username ?? lower.find((l) => l.username !== undefined)?.username);
      setIf(out, 'password', level.password ?? lower.find((l) => l.password !== undefined)?.password);
      return out;
    }
  }
  return {};
}

/** A bearer token is a header value: a few KB at most (proxies refuse headers beyond 8-16 KB). */
export const MAX_TOKEN_FILE_BYTES = 16 * 1024;

function readTokenFile(path: string): string {
  const full = expandHome(path)!;
  let token: string;
  try {
    const { bytes, tooLarge } = readSmallFile(full, MAX_TOKEN_FILE_BYTES);
    if (tooLarge) throw new UsageError(`the bearer token file ${full} is larger than ${sizeWords(MAX_TOKEN_FILE_BYTES)}: it should hold only the token`);
    token = bytes.toString('utf8').trim();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the bearer token file ${full} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); check --bearer-token-file / LOKI_BEARER_TOKEN_FILE`);
  }
  if (token === '') throw new UsageError(`the bearer token file ${full} is empty`);
  return token;
}

function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`the Loki address '${stripUserinfo(raw)}' is not a URL; write it like http://localhost:3100`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the Loki address must start with http:// or https://, not '${stripUserinfo(raw)}'`);
  }
  return raw;
}

function stripUserinfo(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//');
}

/** `Name: value` → { Name: value }. */
export function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    const name = colon > 0 ? value.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`--header takes "Name: value", not '${value.slice(0, 40)}'`);
    }
    headers[name] = value.slice(colon + 1).trim();
  }
  return headers;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  return Math.round(durationFlagMs('--timeout', value, { allowZero: false }));
}

function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

function expandHome(path: string | undefined): string | undefined {
  return path?.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (obj[key] !== undefined) out[key] = obj[key];
  return out;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
