import { endpointUrl, redact, requestHeaders, tlsOptions, type LokiConnection, type TlsOptions } from './config.js';
import { badBodyMessage, httpErrorMessage, LokiRequestError, MAX_RESPONSE_BYTES, networkErrorMessage, ResponseTooLargeError, retryAfterMs } from './errors.js';
import { BodyTooLargeError, GetError, httpGet, type GetResponse } from './http-get.js';
import { sleep } from './sleep.js';
import { parseStreamsBody, UnexpectedBodyError, type Direction, type LokiEntry } from './response.js';

/**
 * Bounded exponential backoff for 429 and every 5xx (never 4xx: parse errors, limits). Injectable
 * so tests retry in milliseconds.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

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

/** Talks HTTP to one Loki: auth, TLS, retries, and turning every failure into a one-line SourceError. */
export class LokiClient {
  private readonly log: ((line: string) => void) | undefined;
  private readonly maxResponseBytes: number;
  private readonly retry: RetryPolicy;
  private readonly retryStatus: (status: number) => boolean;
  private readonly headers: Record<string, string>;
  private readonly tls: TlsOptions;
  /** Requests sent, retries and redirects included. */
  requests = 0;

  constructor(
    private readonly conn: LokiConnection,
    options: LokiClientOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.log = options.log;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.retryStatus = (status) => (status === 429 ? !options.noRetryOn429 : status >= 500 && status <= 599);
    this.headers = requestHeaders(conn);
    this.tls = tlsOptions(conn);
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
    this.log?.(`${response.status} in ${Date.now() - started} ms, ${body.length} bytes`);
    try {
      return { entries: parseStreamsBody(body, params.direction), bytes: body.length };
    } catch (err) {
      if (!(err instanceof UnexpectedBodyError)) throw err;
      const contentType = String(response.headers['content-type'] ?? '');
      const message = /^\s*[{[]/.test(body) ? redact(`Loki answered an unexpected shape: ${err.message}`, this.conn) : badBodyMessage(contentType, body, this.conn);
      throw new LokiRequestError(message, response.status, body);
    }
  }

  /** One GET, retried with bounded backoff on 5xx, 429 (unless left to the caller) and transient network errors. */
  private async send(url: URL, searchParams: Record<string, string>, signal?: AbortSignal): Promise<GetResponse> {
    for (const [name, value] of Object.entries(searchParams)) url.searchParams.set(name, value);
    for (let attempt = 1; ; attempt++) {
      let why: string;
      let retryAfter: number | undefined;
      try {
        const res = await httpGet(url, {
          headers: this.headers,
          tls: this.tls,
          timeoutMs: this.conn.timeoutMs,
          maxBytes: this.maxResponseBytes,
          signal,
          privateHeaders: Object.keys(this.headers),
          onRequest: (sent) => {
            this.requests += 1;
            this.log?.(redact(`GET ${sent.toString()}`, this.conn));
          },
        });
        if (res.status >= 200 && res.status < 300) return res;
        retryAfter = retryAfterMs(res.headers['retry-after']);
        if (!this.retryStatus(res.status) || attempt > this.retry.limit) throw this.httpError(res, attempt, retryAfter);
        why = String(res.status);
      } catch (err) {
        if (err instanceof LokiRequestError) throw err;
        if (err instanceof BodyTooLargeError) throw new ResponseTooLargeError(this.conn, this.maxResponseBytes);
        if (!(err instanceof GetError)) throw err;
        if (!RETRY_ERRORS.includes(err.code ?? '') || attempt > this.retry.limit) {
          throw new LokiRequestError(networkErrorMessage(err.code, err.message, this.conn, this.conn.timeoutMs, attempt), null, '');
        }
        why = err.code ?? err.message;
      }
      this.log?.(redact(`retry ${attempt} after ${why}`, this.conn));
      // Honour Retry-After up to our own ceiling, never beyond.
      const backoff = Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
      await sleep(retryAfter !== undefined && retryAfter > 0 ? Math.min(retryAfter, this.retry.maxDelayMs) : backoff, signal);
      if (signal?.aborted) throw abortError();
    }
  }

  private httpError(res: GetResponse, attempts: number, retryAfter: number | undefined): LokiRequestError {
    const message = httpErrorMessage(res.status, String(res.headers['content-type'] ?? ''), res.body, this.conn, attempts);
    return new LokiRequestError(message, res.status, res.body, retryAfter);
  }
}

function abortError(): Error {
  const err = new Error('the request was aborted');
  err.name = 'AbortError';
  return err;
}
