import { SourceError } from '../../errors.js';
import { displayUrl, redact, requestHeaders, type LokiConnection } from './config.js';

/**
 * A Loki request that failed: a SourceError (exit 4) whose message is ready for the user, plus
 * the raw status and body so the pager can adapt to the server's own limits.
 */
export class LokiRequestError extends SourceError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: string,
    /** The server's Retry-After, when it sent one (429, 503). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LokiRequestError';
  }
}

/**
 * The most one response may hold (body, after decompression): far above what Loki sends for a
 * 5 000-entry page (a few MB with long lines), far below what would exhaust memory. A larger
 * answer is refused as it arrives, never buffered whole.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** A response over MAX_RESPONSE_BYTES: not worth retrying, not transient. */
export class ResponseTooLargeError extends LokiRequestError {
  constructor(conn: LokiConnection, limitBytes: number) {
    const mib = Math.round(limitBytes / (1024 * 1024));
    super(
      redact(`Loki at ${displayUrl(conn)} sent more than ${mib} MiB in one response (the limit); narrow the window (--since, --from/--to) or lower --page-size`, conn),
      null,
      '',
    );
    this.name = 'ResponseTooLargeError';
  }
}

/** Retry-After in ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const AUTH_SETTINGS = '--username/--password or --bearer-token (LOKI_USERNAME/LOKI_PASSWORD, LOKI_BEARER_TOKEN)';
const ADDRESS_SETTING = '--loki or LOKI_ADDR';
const MAX_BODY_CHARS = 300;

/** Turns a non-2xx answer into one line. Loki's error bodies are plain text whatever the content-type says. */
export function httpErrorMessage(
  status: number,
  contentType: string,
  body: string,
  conn: LokiConnection,
  attempts = 1,
): string {
  const where = displayUrl(conn);
  const text = isHtml(contentType, body) ? htmlSummary(body) : oneLine(body);
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  let message: string;
  if (status === 401 || status === 403) {
    const hasAuth = Object.keys(requestHeaders(conn)).some((name) => name.toLowerCase() === 'authorization');
    const check = hasAuth ? `check ${AUTH_SETTINGS}` : `set ${AUTH_SETTINGS}`;
    const tenant = status === 403 || /org ?id/i.test(text) ? ' and --org-id (LOKI_ORG_ID)' : '';
    message = `Loki at ${where} refused the request (${status}${text ? `: ${text}` : ''}); ${check}${tenant}`;
  } else if (isHtml(contentType, body)) {
    message = `Loki at ${where} answered ${status}${after} with an HTML page${text ? ` (${text})` : ''}: a proxy in front of Loki failed or the address is not Loki's; check ${ADDRESS_SETTING}`;
  } else if (status === 404) {
    message = `Loki at ${where} has no query API (404${text ? `: ${text}` : ''}); check ${ADDRESS_SETTING} (the base address, without /loki/api/v1)`;
  } else if (status === 429) {
    message = `Loki at ${where} kept rate-limiting the query (429)${after}: ${text || 'too many requests'}; try again later or lower --parallel`;
  } else if (status >= 500) {
    message = `Loki at ${where} failed (${status})${after}: ${text || 'no message'}`;
  } else {
    message = `Loki rejected the query (${status}): ${text || 'no message'}`;
  }
  return redact(message, conn);
}

/** Network failures by error code: what happened, and which setting to look at. */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: `connection refused; is Loki running there? check ${ADDRESS_SETTING}`,
  ENOTFOUND: `the host name does not resolve; check ${ADDRESS_SETTING}`,
  EAI_AGAIN: `the host name could not be resolved (DNS not answering); check ${ADDRESS_SETTING}`,
  ECONNRESET: 'the connection was reset; a proxy or Loki closed it',
  EHOSTUNREACH: `the host is unreachable; check ${ADDRESS_SETTING}`,
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed while sending',
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match the host name; check the address or --ca-cert",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server uses a self-signed TLS certificate; pass it with --ca-cert (or opt out with --tls-skip-verify)',
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is not trusted; pass the CA with --ca-cert (or opt out with --tls-skip-verify)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified; pass the CA with --ca-cert (or opt out with --tls-skip-verify)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's TLS certificate issuer is unknown; pass the CA with --ca-cert (or opt out with --tls-skip-verify)",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  EPROTO: 'the TLS handshake failed; is the address http:// instead of https:// (or the other way round)?',
};

export function networkErrorMessage(
  code: string | undefined,
  rawMessage: string,
  conn: LokiConnection,
  timeoutMs: number,
  attempts = 1,
): string {
  const where = displayUrl(conn);
  const after = attempts > 1 ? ` (${attempts} attempts)` : '';
  let message: string;
  if (code === 'ETIMEDOUT') {
    message = `Loki at ${where} did not answer within ${formatMs(timeoutMs)}${after}; raise --timeout or narrow the window`;
  } else if (code && NETWORK_CAUSES[code]) {
    message = `cannot reach Loki at ${where}${after}: ${NETWORK_CAUSES[code]}`;
  } else {
    message = `cannot reach Loki at ${where}${after}: ${oneLine(rawMessage)}${code ? ` (${code})` : ''}`;
  }
  return redact(message, conn);
}

/** A 200 whose body is not Loki's JSON: usually a login page or a different service. */
export function badBodyMessage(contentType: string, body: string, conn: LokiConnection): string {
  const where = displayUrl(conn);
  const what = isHtml(contentType, body) ? `an HTML page${titleOf(body) ? ` (${titleOf(body)})` : ''}` : `"${oneLine(body).slice(0, 80)}"`;
  return redact(`Loki at ${where} answered with ${what} instead of query results; check ${ADDRESS_SETTING}`, conn);
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_BODY_CHARS ? `${flat.slice(0, MAX_BODY_CHARS)}…` : flat;
}

function isHtml(contentType: string, body: string): boolean {
  return /text\/html/i.test(contentType) || /^\s*<(!doctype html|html|head|body)\b/i.test(body);
}

/** A proxy's page said in a few words: its title, else its first heading, else its status line. */
function htmlSummary(body: string): string {
  return titleOf(body) ?? headingOf(body) ?? '';
}

function titleOf(body: string): string | null {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body);
  return match ? oneLine(stripTags(match[1] ?? '')) || null : null;
}

function headingOf(body: string): string | null {
  const match = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(body);
  return match ? oneLine(stripTags(match[1] ?? '')) || null : null;
}

function stripTags(text: string): string {
  return text.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
