import type { IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
import type { Readable } from 'node:stream';
import type { TlsOptions } from './config.js';

/**
 * One GET over node:http(s), with what Loki needs and nothing more: redirects, an overall
 * timeout, gzip/deflate/br bodies, and a cap on the body. A hand-rolled client rather than a
 * library because start-up is most of a small `show --loki`, and got alone cost ~120 ms of it.
 */
export interface GetOptions {
  headers: Record<string, string>;
  tls: TlsOptions;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  /** The most the (decompressed) body may hold. */
  maxBytes: number;
  signal?: AbortSignal;
  /**
   * Headers to leave out when a redirect leads to another origin (scheme, host or port): what the
   * user gave for this address (auth, tenant, API keys) is not for another one.
   */
  privateHeaders: readonly string[];
  /** Told of every request sent, redirects included. */
  onRequest?: (url: URL) => void;
}

export interface GetResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A network-level failure, with Node's error code (ECONNREFUSED, ETIMEDOUT, …). */
export class GetError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'GetError';
  }
}

/** The body went past GetOptions.maxBytes. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('response body too large');
    this.name = 'BodyTooLargeError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export async function httpGet(url: URL, options: GetOptions): Promise<GetResponse> {
  const deadline = Date.now() + options.timeoutMs;
  let current = url;
  let headers = { 'user-agent': 'mcp-trace', 'accept-encoding': 'gzip, deflate, br', ...options.headers };
  for (let hop = 0; ; hop++) {
    // node:https and node:zlib load only when needed: each is start-up time a plain-HTTP Loki does not need.
    const send = current.protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
    const res = await once(send, current, headers, options, deadline);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || !location || hop >= MAX_REDIRECTS) return res;
    const next = new URL(location, current);
    if (next.origin !== url.origin) {
      const drop = new Set([...options.privateHeaders, 'cookie', 'authorization'].map((h) => h.toLowerCase()));
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase()))) as typeof headers;
    }
    current = next;
  }
}

function once(send: typeof httpRequest, url: URL, headers: Record<string, string>, options: GetOptions, deadline: number): Promise<GetResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    options.onRequest?.(url);
    const req = send(url, { method: 'GET', headers, ...(url.protocol === 'https:' ? options.tls : {}) });
    let settled = false;
    const finish = (err: Error | null, value?: GetResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const onAbort = (): void => finish(abortError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(new GetError(`timed out after ${options.timeoutMs} ms`, 'ETIMEDOUT')), Math.max(0, deadline - Date.now()));
    req.on('error', (err: NodeJS.ErrnoException) => finish(new GetError(err.message, err.code)));
    req.on('response', (res) => {
      const length = Number(res.headers['content-length']);
      const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
      // A compressed body's length says nothing of its size once inflated; that is left to the count.
      if (Number.isFinite(length) && length > options.maxBytes && !encoding) return finish(new BodyTooLargeError());
      readBody(res, encoding, options.maxBytes).then(
        (body) => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body }),
        (err: Error) => finish(err instanceof BodyTooLargeError ? err : new GetError(err.message, (err as NodeJS.ErrnoException).code ?? 'ECONNRESET')),
      );
    });
    req.end();
  });
}

async function readBody(res: IncomingMessage, encoding: string, maxBytes: number): Promise<string> {
  let stream: Readable = res;
  if (['gzip', 'x-gzip', 'deflate', 'br'].includes(encoding)) {
    const zlib = await import('node:zlib');
    stream = res.pipe(encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip());
  }
  if (stream !== res) res.on('error', (err) => stream.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      throw new BodyTooLargeError();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function abortError(): Error {
  const err = new Error('the request was aborted');
  err.name = 'AbortError';
  return err;
}
