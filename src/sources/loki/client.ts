import got, { HTTPError, RequestError, type Got } from 'got';
import { endpointUrl, gotHttpsOptions, redact, requestHeaders, tlsOptions, type LokiConnection } from './config.js';
import { capResponse } from './body-cap.js';
import { badBodyMessage, httpErrorMessage, LokiRequestError, MAX_RESPONSE_BYTES, networkErrorMessage, ResponseTooLargeError, retryAfterMs } from './errors.js';
import { parseStreamsBody, UnexpectedBodyError, type Direction, type LokiEntry } from './response.js';

/** Bounded exponential backoff. Injectable so tests retry in milliseconds. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** 429 and every 5xx are worth another try; 4xx (parse errors, limits) never are. */
const RETRY_STATUS = [429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];
/** Transient network failures. ENOTFOUND is left out: a wrong host name does not heal in seconds. */
const RETRY_ERRORS = ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];

export interface LokiClientOptions {
  retry?: RetryPolicy;
  /** Leave 429 to the caller (the range source adapts its pace instead of retrying blindly). */
  noRetryOn429?: boolean;
  /** Refuse a response larger than this (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** One line per request for --verbose; already redacted. */
  log?: (line: string) => void;
}

export interface QueryRangeParams {
  query: string;
  /** Inclusive. */
  startNs: bigint;
  /** Exclusive. */
  endNs: bigint;
  limit: number;
  direction: Direction;
}

export interface QueryRangePage {
  entries: LokiEntry[];
  /** Body size, for progress. */
  bytes: number;
}

/**
 * A redirect to another origin (scheme, host or port) than the configured Loki address gets none
 * of what the user gave for that address: every computed and `--header` header (auth, tenant, API
 * keys) and URL credentials are removed before got follows it. got itself strips only
 * `Authorization` and cookies, and compares host and port but not the scheme.
 */
function dropCredentialsAcrossOrigins(options: { url?: string | URL | undefined; headers: Record<string, string | string[] | undefined>; username: string; password: string }, conn: LokiConnection): void {
  if (options.url === undefined || sameOrigin(String(options.url), conn.url)) return;
  const given = new Set(Object.keys(requestHeaders(conn)).map((name) => name.toLowerCase()));
  for (const name of Object.keys(options.headers)) {
    if (given.has(name.toLowerCase()) || name.toLowerCase() === 'cookie') delete options.headers[name];
  }
  options.username = '';
  options.password = '';
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Talks HTTP to one Loki: auth, TLS, retries, and turning every failure into a one-line SourceError. */
export class LokiClient {
  private readonly http: Got;
  private readonly log: ((line: string) => void) | undefined;
  private readonly maxResponseBytes: number;
  /** Requests sent, retries included. */
  requests = 0;

  constructor(
    private readonly conn: LokiConnection,
    options: LokiClientOptions = {},
  ) {
    const retry = options.retry ?? DEFAULT_RETRY;
    this.log = options.log;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.http = got.extend({
      headers: { 'user-agent': 'mcp-trace', ...requestHeaders(conn) },
      https: gotHttpsOptions(tlsOptions(conn)),
      timeout: { request: conn.timeoutMs },
      responseType: 'text',
      retry: {
        limit: retry.limit,
        methods: ['GET'],
        statusCodes: options.noRetryOn429 ? RETRY_STATUS.filter((code) => code !== 429) : RETRY_STATUS,
        errorCodes: RETRY_ERRORS,
        // Honour Retry-After up to our own ceiling, never beyond.
        maxRetryAfter: retry.maxDelayMs,
        calculateDelay: ({ attemptCount, computedValue, retryAfter }) => {
          if (computedValue === 0) return 0;
          if (retryAfter !== undefined && retryAfter > 0) return Math.min(retryAfter, retry.maxDelayMs);
          return Math.min(retry.baseDelayMs * 2 ** (attemptCount - 1), retry.maxDelayMs);
        },
      },
      hooks: {
        beforeRequest: [
          (req) => {
            this.requests += 1;
            this.log?.(redact(`GET ${String(req.url)}`, conn));
          },
        ],
        beforeRedirect: [(redirected) => dropCredentialsAcrossOrigins(redirected, conn)],
        beforeRetry: [
          (error, retryCount) => {
            const why = error.response ? String(error.response.statusCode) : (error.code ?? error.message);
            this.log?.(redact(`retry ${retryCount} after ${why}`, conn));
          },
        ],
      },
    });
  }

  async queryRange(params: QueryRangeParams, signal?: AbortSignal): Promise<QueryRangePage> {
    const url = endpointUrl(this.conn, 'loki/api/v1/query_range');
    const searchParams = {
      query: params.query,
      start: params.startNs.toString(),
      end: params.endNs.toString(),
      limit: String(params.limit),
      direction: params.direction,
    };
    const started = Date.now();
    const response = await this.send(url, searchParams, signal);
    const body = response.body;
    this.log?.(`${response.statusCode} in ${Date.now() - started} ms, ${body.length} bytes`);
    try {
      return { entries: parseStreamsBody(body, params.direction), bytes: body.length };
    } catch (err) {
      if (!(err instanceof UnexpectedBodyError)) throw err;
      const contentType = String(response.headers['content-type'] ?? '');
      const message = /^\s*[{[]/.test(body) ? redact(`Loki answered an unexpected shape: ${err.message}`, this.conn) : badBodyMessage(contentType, body, this.conn);
      throw new LokiRequestError(message, response.statusCode, body);
    }
  }

  private async send(url: URL, searchParams: Record<string, string>, signal?: AbortSignal) {
    const request = this.http.get(url, { searchParams, signal });
    const tooLarge = capResponse(request, this.maxResponseBytes);
    try {
      return await request;
    } catch (err) {
      if (tooLarge()) throw new ResponseTooLargeError(this.conn, this.maxResponseBytes);
      throw this.toSourceError(err);
    }
  }

  private toSourceError(err: unknown): Error {
    if (err instanceof HTTPError) {
      const res = err.response;
      const body = typeof res.body === 'string' ? res.body : String(res.rawBody ?? '');
      const attempts = (res.retryCount ?? 0) + 1;
      const message = httpErrorMessage(res.statusCode, String(res.headers['content-type'] ?? ''), body, this.conn, attempts);
      return new LokiRequestError(message, res.statusCode, body, retryAfterMs(res.headers['retry-after']));
    }
    if (err instanceof RequestError) {
      if (err.name === 'AbortError' || err.code === 'ERR_ABORTED') return err;
      const attempts = (err.request?.retryCount ?? 0) + 1;
      const code = err.code === 'ETIMEDOUT' || err.name === 'TimeoutError' ? 'ETIMEDOUT' : err.code;
      return new LokiRequestError(networkErrorMessage(code, err.message, this.conn, this.conn.timeoutMs, attempts), null, '');
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}
