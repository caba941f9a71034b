import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { readSmallFile, sizeWords } from './small-file.js';

/**
 * One named Loki profile from the config file. Same settings as the flags, camelCased:
 *   { "profiles": { "prod": { "url": "https://loki.example.com", "orgId": "prod",
 *                             "bearerTokenFile": "~/.secrets/loki" } },
 *     "defaultProfile": "prod" }
 */
export interface LokiProfile {
  url?: string;
  username?: string;
  password?: string;
  bearerToken?: string;
  bearerTokenFile?: string;
  orgId?: string;
  headers?: Record<string, string>;
  caCert?: string;
  cert?: string;
  key?: string;
  tlsSkipVerify?: boolean;
  /** A duration such as `30s`. */
  timeout?: string;
  /** Grafana's address, for Explore links (`show`, `traces`). */
  grafanaUrl?: string;
  /** The Loki datasource's uid in that Grafana. */
  grafanaDatasource?: string;
}

interface ConfigFile {
  profiles?: Record<string, LokiProfile>;
  defaultProfile?: string;
}

const STRING_KEYS = ['url', 'username', 'password', 'bearerToken', 'bearerTokenFile', 'orgId', 'caCert', 'cert', 'key', 'timeout', 'grafanaUrl', 'grafanaDatasource'] as const;

/** `$XDG_CONFIG_HOME/mcp-trace/config.json`, else `~/.config/mcp-trace/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(base, 'mcp-trace', 'config.json');
}

/**
 * The profile to use: the one named (an unknown name is a usage error), else the file's
 * `defaultProfile`, else none. A missing file is fine unless a profile was asked for.
 */
export function loadProfile(name: string | undefined, env: NodeJS.ProcessEnv = process.env): { name: string; profile: LokiProfile } | null {
  const path = configPath(env);
  const config = readConfig(path);
  if (config === null) {
    if (name !== undefined) throw new UsageError(`--profile ${name}: no config file at ${path}; create it with {"profiles": {"${name}": {"url": "…"}}}`);
    return null;
  }
  const wanted = name ?? config.defaultProfile;
  if (wanted === undefined) return null;
  const profile = config.profiles?.[wanted];
  if (!profile) {
    const known = Object.keys(config.profiles ?? {});
    throw new UsageError(
      `no profile '${wanted}' in ${path}${known.length > 0 ? `; known profiles: ${known.join(', ')}` : '; it has no "profiles"'}`,
    );
  }
  return { name: wanted, profile: checkProfile(profile, wanted, path) };
}

/** Profiles are a few lines each; a config file beyond this is not one. */
export const MAX_CONFIG_BYTES = 64 * 1024;

function readConfig(path: string): ConfigFile | null {
  let file: { bytes: Buffer; tooLarge: boolean };
  try {
    file = readSmallFile(path, MAX_CONFIG_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (file.tooLarge) throw new UsageError(`the config file ${path} is larger than ${sizeWords(MAX_CONFIG_BYTES)}: it should hold only Loki profiles`);
  const text = file.bytes.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${path} must hold a JSON object with "profiles"`);
  return doc as ConfigFile;
}

function checkProfile(profile: LokiProfile, name: string, path: string): LokiProfile {
  if (typeof profile !== 'object' || profile === null) throw new UsageError(`profile '${name}' in ${path} must be an object`);
  for (const key of STRING_KEYS) {
    if (profile[key] !== undefined && typeof profile[key] !== 'string') throw new UsageError(`profile '${name}' in ${path}: "${key}" must be a string`);
  }
  if (profile.tlsSkipVerify !== undefined && typeof profile.tlsSkipVerify !== 'boolean') {
    throw new UsageError(`profile '${name}' in ${path}: "tlsSkipVerify" must be true or false`);
  }
  if (profile.headers !== undefined && (typeof profile.headers !== 'object' || Object.values(profile.headers).some((v) => typeof v !== 'string'))) {
    throw new UsageError(`profile '${name}' in ${path}: "headers" must map names to strings`);
  }
  return profile;
}
