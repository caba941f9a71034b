import type { LogRecord } from '../types.js';
import { formatDuration } from './duration.js';
import { sanitize } from './sanitize.js';

/** Longest value shown of one field; `--json --logs` has every field whole. */
const MAX_VALUE = 80;

/**
 * A record's fields as `key=value` texts, sanitised: what the line answered and how long it took
 * first (status, gRPC code, duration, the error when the message does not say it), then every
 * other field it carried, in its own order. For `show --logs`, so that
 * `show <id> --logs | grep 402` finds the line.
 */
export function recordFieldTexts(record: LogRecord): string[] {
  const out: string[] = [];
  if (record.http?.status !== undefined) out.push(`status=${record.http.status}`);
  if (record.grpc?.code !== undefined) out.push(`grpc_code=${record.grpc.code}`);
  if (record.durationMs !== null) out.push(`duration=${formatDuration(record.durationMs)}`);
  if (record.error && !record.message.includes(record.error)) out.push(`error=${quoted(record.error)}`);
  for (const [key, value] of Object.entries(record.attributes)) out.push(`${sanitize(key)}=${valueText(value)}`);
  return out;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'bigint') return value.toString();
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return cap(sanitize(text));
}

/** Plain words as they are; a value with spaces, quotes or `=` in quotes, as tail prints errors. */
function quoted(text: string): string {
  const safe = cap(sanitize(text));
  return /^[^\s"=]+$/.test(safe) ? safe : `"${safe.replaceAll('"', '\\"')}"`;
}

function cap(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
