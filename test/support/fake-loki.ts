// An in-process Loki for tests and the bench: answers /loki/api/v1/query_range the way Loki 2.8.0
// does (see ../shared/fixtures/loki/README.md), over HTTP or HTTPS on 127.0.0.1, and records every
// request. It supports a small LogQL subset (a stream selector plus `|=` / `!=` line filters) and
// answers anything else with a loud 400, so a test never passes on a query it did not really run.
//
// Only node: imports and ./label-hash.js, so scripts/bench-loki.mjs can transpile the two files and import them.
// The tail engineer extends it (websocket endpoint) from their own file via `server` and `onRequest`.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { labelsHash } from './label-hash.js';

export interface FakeEntry {
  labels: Record<string, string>;
  timeNs: bigint;
  line: string;
  /** Loki 3 structured metadata; sent as the third value element when the client asks categorize-labels. */
  structuredMetadata?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Decoded query parameters (last value wins). */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Subject CN of the client certificate, when TLS with client certificates is on. */
  clientCertCN?: string;
}

export type Failure =
  | { status: number; body?: string; contentType?: string; retryAfter?: string }
  | { kind: 'html'; status?: number }
  | { kind: 'reset' };

export interface FakeLokiOptions {
  entries?: FakeEntry[];
  /** max_entries_limit_per_query (default 5000). */
  maxEntriesLimit?: number;
  /** max_query_length in ns (default 721h). */
  maxQueryLengthNs?: bigint;
  /** Answer like Loki 3: honour `X-Loki-Response-Encoding-Flags: categorize-labels`. */
  loki3?: boolean;
  /** Require these credentials; anything else gets 401. */
  auth?: { username: string; password: string } | { bearerToken: string };
  /** Require X-Scope-OrgID (auth_enabled: true). */
  requireOrgId?: boolean;
  /** Serve HTTPS with this key/cert; `clientCa` additionally requires a client certificate it signed. */
  tls?: { key: string | Buffer; cert: string | Buffer; clientCa?: string | Buffer };
  /** Delay before each answer, modelling network and querier time (bench only). */
  latencyMs?: number;
  /**
   * Extra delay for a query_range answer given the entries it examined, modelling Loki's scan
   * cost (bench only). Delays of concurrent requests overlap, as scans do across a Loki cluster's queriers.
   */
  scanCostMs?: (examined: number) => number;
  /** Serve under this path prefix, as behind a gateway (`/loki-gw`). */
  pathPrefix?: string;
  /** Fixed "now" in ns for default start/end (default: the real clock). */
  nowNs?: () => bigint;
}

const NS_PER_HOUR = 3_600_000_000_000n;
type Keyed = FakeEntry & { key: string; hash: bigint };
const JSON_TYPE = 'application/json';
/** Loki 2.8's query-frontend labels its plain-text errors as JSON. */
const ERROR_TYPE = 'application/json; charset=UTF-8';
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';

export class FakeLoki {
  readonly requests: RecordedRequest[] = [];
  readonly server: Server;
  url = '';
  /** Hook for extensions (e.g. a websocket upgrade handler is attached to `server` directly). */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => boolean;
  private entries: FakeEntry[] = [];
  private readonly failures: Failure[] = [];
  /** Query text → indices of the entries it matches; reset when entries change. */
  private matchCache = new Map<string, number[]>();

  constructor(private readonly options: FakeLokiOptions = {}) {
    this.add(options.entries ?? []);
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = options.tls
      ? createHttpsServer(
          {
            key: options.tls.key,
            cert: options.tls.cert,
            ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
          },
          handler,
        )
      : createHttpServer(handler);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Adds entries; kept sorted by time, then stream hash, then insertion: Loki 2.8's order for
   * equal timestamps (label-hash.ts).
   */
  add(entries: readonly FakeEntry[]): void {
    this.matchCache = new Map();
    const hashes = new Map<string, bigint>();
    const keyed = entries.map((e) => {
      const key = labelsText(e.labels);
      let hash = hashes.get(key);
      if (hash === undefined) hashes.set(key, (hash = labelsHash(e.labels)));
      return { ...e, key, hash };
    });
    this.entries = [...(this.entries as Keyed[]), ...keyed].sort((a, b) =>
      a.timeNs !== b.timeNs ? (a.timeNs < b.timeNs ? -1 : 1) : a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0,
    );
  }

  /** The next requests fail this way, one failure per request, in order. */
  failNext(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  /** Requests to query_range only. */
  get queries(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/loki/api/v1/query_range');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const prefix = this.options.pathPrefix;
    if (prefix && url.pathname.startsWith(prefix)) url.pathname = url.pathname.slice(prefix.length);
    const cert = (req.socket as TLSSocket).getPeerCertificate?.();
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      ...(cert && cert.subject ? { clientCertCN: String(cert.subject.CN) } : {}),
    });
    if (this.onRequest?.(req, res)) return;
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));

    const failure = this.failures.shift();
    if (failure) return this.fail(failure, res);
    const denied = this.checkAuth(req);
    if (denied) return send(res, 401, 'text/plain; charset=utf-8', denied);

    if (url.pathname === '/loki/api/v1/query_range') {
      const answer = this.queryRange(url.searchParams, req.headers);
      const cost = this.options.scanCostMs?.(answer.examined ?? 0) ?? 0;
      if (cost > 0) await new Promise((r) => setTimeout(r, cost));
      return send(res, answer.status, answer.status === 200 ? JSON_TYPE : ERROR_TYPE, answer.body);
    }
    if (url.pathname === '/loki/api/v1/status/buildinfo') {
      return send(res, 200, JSON_TYPE, JSON.stringify({ version: this.options.loki3 ? '3.0.0' : '2.8.0', revision: 'fake' }));
    }
    return send(res, 404, 'text/plain; charset=utf-8', '404 page not found');
  }

  private fail(failure: Failure, res: ServerResponse): void {
    if ('kind' in failure && failure.kind === 'reset') {
      res.socket?.destroy();
      return;
    }
    if ('kind' in failure) return send(res, failure.status ?? 502, 'text/html', NGINX_502);
    const headers: Record<string, string> = failure.retryAfter ? { 'Retry-After': failure.retryAfter } : {};
    const body = failure.body ?? (failure.status === 429 ? 'too many outstanding requests' : 'upstream connect error or disconnect/reset before headers');
    send(res, failure.status, failure.contentType ?? ERROR_TYPE, body, headers);
  }

  private checkAuth(req: IncomingMessage): string | null {
    const auth = this.options.auth;
    if (auth) {
      const expected =
        'bearerToken' in auth ? `Bearer ${auth.bearerToken}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return 'Unauthorized';
    }
    if (this.options.requireOrgId && !req.headers['x-scope-orgid']) return 'no org id';
    return null;
  }

  private queryRange(params: URLSearchParams, headers: IncomingMessage['headers']): { status: number; body: string; examined?: number } {
    const now = this.options.nowNs?.() ?? BigInt(Date.now()) * 1_000_000n;
    let start: bigint;
    let end: bigint;
    try {
      end = parseLokiTime(params.get('end'), now, 'end');
      start = parseLokiTime(params.get('start'), end - NS_PER_HOUR, 'start');
    } catch (err) {
      return { status: 400, body: (err as Error).message };
    }
    const limitText = params.get('limit') ?? '100';
    const limit = Number(limitText);
    if (!/^-?\d+$/.test(limitText)) return { status: 400, body: `strconv.ParseInt: parsing ${JSON.stringify(limitText)}: invalid syntax` };
    if (limit <= 0) return { status: 400, body: 'limit must be a positive value' };
    const direction = params.get('direction') ?? 'backward';
    if (direction !== 'forward' && direction !== 'backward') return { status: 400, body: `invalid direction '${direction}'` };
    if (end <= start) return { status: 400, body: 'end timestamp must not be before or equal to start time' };

    let query: ParsedQuery;
    try {
      query = parseQuery(params.get('query') ?? '');
    } catch (err) {
      return { status: 400, body: (err as Error).message };
    }
    const maxLimit = this.options.maxEntriesLimit ?? 5000;
    if (limit > maxLimit) return { status: 400, body: `max entries limit per query exceeded, limit > max_entries_limit (${limit} > ${maxLimit})` };
    const maxLength = this.options.maxQueryLengthNs ?? 721n * NS_PER_HOUR;
    if (end - start > maxLength) {
      return { status: 400, body: `the query time range exceeds the limit (query length: ${goDuration(end - start)}, limit: ${goDuration(maxLength)})` };
    }

    const { picked, examined } = this.select(params.get('query') ?? '', query, start, end, limit, direction);
    const categorize = Boolean(this.options.loki3) && String(headers['x-loki-response-encoding-flags'] ?? '').includes('categorize-labels');
    return { status: 200, body: streamsBody(picked, direction, categorize, this.options.loki3 ?? false), examined };
  }

  /**
   * The entries a query matches in [start, end), as Loki would scan them. Matching positions are
   * computed once per query text and cached, so a big data set costs the fake little CPU per
   * request; `examined` is what a real scan would have read, for the scanCostMs model.
   */
  private select(text: string, query: ParsedQuery, start: bigint, end: bigint, limit: number, direction: string): { picked: FakeEntry[]; examined: number } {
    const entries = this.entries;
    const first = lowerBound(entries, start);
    const last = lowerBound(entries, end); // end is exclusive
    let matching = this.matchCache.get(text);
    if (!matching) {
      matching = [];
      for (let i = 0; i < entries.length; i++) if (query.matches(entries[i]!)) matching.push(i);
      this.matchCache.set(text, matching);
    }
    const lo = lowerBoundNumber(matching, first);
    const hi = lowerBoundNumber(matching, last);
    const count = Math.min(limit, hi - lo);
    const forward = direction === 'forward';
    const picked: FakeEntry[] = [];
    if (forward) {
      for (let k = 0; k < count; k++) picked.push(entries[matching[lo + k]!]!);
    } else {
      // Newest timestamp first, but within one timestamp streams still go by ascending hash (each
      // stream's own entries newest-inserted first), so take whole timestamps from the end.
      for (let g = hi; g > lo && picked.length < count; ) {
        const t = entries[matching[g - 1]!]!.timeNs;
        let s = g - 1;
        while (s > lo && entries[matching[s - 1]!]!.timeNs === t) s--;
        // Already by hash, then insertion: reverse each stream's run.
        for (let r = s; r < g && picked.length < count; ) {
          const hash = (entries[matching[r]!] as Keyed).hash;
          let end = r + 1;
          while (end < g && (entries[matching[end]!] as Keyed).hash === hash) end++;
          for (let k = end - 1; k >= r && picked.length < count; k--) picked.push(entries[matching[k]!]!);
          r = end;
        }
        g = s;
      }
    }
    let examined = last - first;
    if (count === limit && count > 0) examined = forward ? matching[lo + count - 1]! - first + 1 : last - matching[hi - count]!;
    return { picked, examined };
  }
}

function lowerBoundNumber(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export async function startFakeLoki(options: FakeLokiOptions = {}): Promise<FakeLoki> {
  return new FakeLoki(options).start();
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function lowerBound(entries: readonly FakeEntry[], timeNs: bigint): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.timeNs < timeNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Loki's parseTimestamp: float seconds if it has a dot, else an integer (≤10 digits: seconds, else ns), else RFC3339. */
export function parseLokiTime(value: string | null, fallback: bigint, name: string): bigint {
  if (value === null || value === '') return fallback;
  if (value.includes('.') && /^\d+\.\d*$/.test(value)) {
    const [sec, frac = ''] = value.split('.');
    return BigInt(sec!) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
  }
  if (/^-?\d+$/.test(value)) return value.replace('-', '').length <= 10 ? BigInt(value) * 1_000_000_000n : BigInt(value);
  const rfc = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (rfc) {
    const ms = Date.parse(`${rfc[1]}${rfc[3]}`);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n + BigInt(((rfc[2] ?? '') + '000000000').slice(0, 9));
  }
  throw new Error(`could not parse '${name}' parameter: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/** Go's time.Duration.String() for whole seconds and up, as in Loki's length error. */
export function goDuration(ns: bigint): string {
  const totalSeconds = ns / 1_000_000_000n;
  const h = totalSeconds / 3600n;
  const m = (totalSeconds % 3600n) / 60n;
  const s = totalSeconds % 60n;
  return h > 0n ? `${h}h${m}m${s}s` : m > 0n ? `${m}m${s}s` : `${s}s`;
}

interface ParsedQuery {
  matches(entry: FakeEntry): boolean;
}

interface FakeMatcher {
  name: string;
  op: string;
  value: string;
  test(v: string): boolean;
}

/** `{a="x", b=~"y"} |= "z" != "w"` and nothing more. */
export function parseQuery(query: string): ParsedQuery {
  const text = query.trim();
  const close = findSelectorEnd(text);
  if (!text.startsWith('{') || close < 0) {
    throw new Error(`parse error at line 1, col ${text.length + 1}: syntax error: unexpected $end, expecting } or ,`);
  }
  const matchers: FakeMatcher[] = [];
  const body = text.slice(1, close);
  const matcherRe = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)\s*(,|$)/y;
  let at = 0;
  while (at < body.length) {
    matcherRe.lastIndex = at;
    const m = matcherRe.exec(body);
    if (!m) throw new Error(`parse error at line 1, col ${at + 2}: syntax error: unexpected IDENTIFIER`);
    const value = m[3]!.startsWith('`') ? m[3]!.slice(1, -1) : (JSON.parse(m[3]!) as string);
    matchers.push(makeMatcher(m[1]!, m[2]!, value));
    at = matcherRe.lastIndex;
  }
  if (!matchers.some((m) => !m.test(''))) {
    throw new Error(
      'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will',
    );
  }
  const filters: Array<(line: string) => boolean> = [];
  let rest = text.slice(close + 1);
  const filterRe = /^\s*(\|=|!=|\|~|!~)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/;
  while (rest.trim() !== '') {
    const f = filterRe.exec(rest);
    if (!f) throw new Error(`parse error : fake-loki supports only |=, !=, |~ and !~ line filters, not: ${rest.trim()}`);
    const arg = f[2]!.startsWith('`') ? f[2]!.slice(1, -1) : (JSON.parse(f[2]!) as string);
    const re = f[1]!.endsWith('~') ? new RegExp(arg) : null;
    const positive = f[1]!.startsWith('|');
    filters.push(re ? (line) => re.test(line) === positive : (line) => line.includes(arg) === positive);
    rest = rest.slice(f[0].length);
  }
  // Streams share their labels object, so the selector is decided once per stream, not per line.
  const streamMatches = new WeakMap<Record<string, string>, boolean>();
  const selects = (labels: Record<string, string>): boolean => {
    let ok = streamMatches.get(labels);
    if (ok === undefined) streamMatches.set(labels, (ok = matchers.every((m) => m.test(labels[m.name] ?? ''))));
    return ok;
  };
  return { matches: (entry) => selects(entry.labels) && filters.every((f) => f(entry.line)) };
}

function findSelectorEnd(text: string): number {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

function makeMatcher(name: string, op: string, value: string): FakeMatcher {
  // Loki's regex matchers are anchored at both ends.
  const re = op === '=~' || op === '!~' ? new RegExp(`^(?:${value})$`) : null;
  const test =
    op === '=' ? (v: string) => v === value : op === '!=' ? (v: string) => v !== value : op === '=~' ? (v: string) => re!.test(v) : (v: string) => !re!.test(v);
  return { name, op, value, test };
}

/** Label text the way Loki sorts streams: `{a="1", b="2"}`. */
function labelsText(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}

function streamsBody(entries: readonly FakeEntry[], direction: string, categorize: boolean, loki3: boolean): string {
  const streams = new Map<string, { stream: Record<string, string>; values: unknown[] }>();
  for (const entry of entries) {
    // Without categorize-labels, Loki 3 folds structured metadata into the stream labels.
    const folded = loki3 && !categorize && entry.structuredMetadata;
    const labels = folded ? { ...entry.labels, ...entry.structuredMetadata } : entry.labels;
    const key = folded ? labelsText(labels) : ((entry as { key?: string }).key ?? labelsText(labels));
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = { stream: labels, values: [] }));
    const value: unknown[] = [entry.timeNs.toString(), entry.line];
    if (categorize && entry.structuredMetadata) value.push({ structuredMetadata: entry.structuredMetadata });
    stream.values.push(value);
  }
  const result = [...streams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  const bytes = entries.reduce((sum, e) => sum + e.line.length, 0);
  const data: Record<string, unknown> = { resultType: 'streams', result, stats: statsBlock(entries.length, bytes) };
  if (categorize) data.encodingFlags = ['categorize-labels'];
  void direction; // values are already in the query's order
  return JSON.stringify({ status: 'success', data });
}

function statsBlock(returned: number, bytes: number): Record<string, unknown> {
  const chunk = { headChunkBytes: bytes, headChunkLines: returned, decompressedBytes: 0, decompressedLines: 0, compressedBytes: 0, totalDuplicates: 0 };
  const store = { totalChunksRef: 0, totalChunksDownloaded: 0, chunksDownloadTime: 0, chunk };
  const cache = { entriesFound: 0, entriesRequested: 0, entriesStored: 0, bytesReceived: 0, bytesSent: 0, requests: 0, downloadTime: 0 };
  return {
    summary: {
      bytesProcessedPerSecond: 0,
      linesProcessedPerSecond: 0,
      totalBytesProcessed: bytes,
      totalLinesProcessed: returned,
      execTime: 0.001,
      queueTime: 0.00001,
      subqueries: 0,
      totalEntriesReturned: returned,
      splits: 0,
      shards: 1,
    },
    querier: { store: { ...store, chunk: { ...chunk, headChunkBytes: 0, headChunkLines: 0 } } },
    ingester: { totalReached: 1, totalChunksMatched: 1, totalBatches: 1, totalLinesSent: returned, store },
    cache: { chunk: cache, index: cache, result: cache },
  };
}
