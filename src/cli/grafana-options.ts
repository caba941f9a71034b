import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { GrafanaTarget } from '../render/grafana-link.js';
import { loadProfile } from './profile-config.js';

export interface GrafanaFlags {
  grafanaUrl?: string;
  grafanaDatasource?: string;
  profile?: string;
}

/** `--grafana-url` and `--grafana-datasource`, for the commands that print Explore links. */
export function addGrafanaOptions(cmd: Command): Command {
  return cmd
    .option('--grafana-url <url>', 'print a Grafana Explore link for each trace (GRAFANA_URL, or the profile\'s "grafanaUrl")')
    .option('--grafana-datasource <uid>', 'the Loki datasource uid in Grafana (GRAFANA_DATASOURCE, or the profile\'s "grafanaDatasource")');
}

/**
 * Where links point, with precedence flag > environment > profile (the one named with
 * --profile, else the config file's default profile); null when nothing names a Grafana.
 */
export function resolveGrafana(flags: GrafanaFlags, env: NodeJS.ProcessEnv = process.env): GrafanaTarget | null {
  const profile = () => profileOf(flags.profile, env);
  const url = flags.grafanaUrl ?? nonEmpty(env.GRAFANA_URL) ?? profile()?.grafanaUrl;
  if (url === undefined) return null;
  checkUrl(url);
  const datasource = flags.grafanaDatasource ?? nonEmpty(env.GRAFANA_DATASOURCE) ?? profile()?.grafanaDatasource;
  return datasource === undefined ? { url } : { url, datasource };
}

/**
 * The profile's settings. A broken config file is reported when a profile is named; otherwise
 * links are left out rather than failing a command that never asked for them.
 */
function profileOf(name: string | undefined, env: NodeJS.ProcessEnv) {
  if (name !== undefined) return loadProfile(name, env)?.profile;
  try {
    return loadProfile(undefined, env)?.profile;
  } catch {
    return undefined;
  }
}

function checkUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`the Grafana address '${raw}' is not a URL; write it like https://grafana.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`the Grafana address must start with http:// or https://, not '${raw}'`);
  if (url.search !== '' || url.hash !== '') throw new UsageError(`the Grafana address '${raw}' should be Grafana's root (or sub-path), without ?query or #fragment`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
