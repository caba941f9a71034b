import type WebSocket from 'ws';
import { SourceError } from '../../errors.js';
import type { RawLine } from '../../types.js';
import type { LogSource, ReadOptions } from '../source.js';
import { displayUrl, endpointUrl, redact, requestHeaders, tlsOptions, type LokiConnection } from './config.js';
import { LokiClient } from './client.js';
import { httpErrorMessage, LokiRequestError, MAX_RESPONSE_BYTES, networkErrorMessage, oneLine, ResponseTooLargeError } from './errors.js';
import { pageRange } from './query-range.js';
import { classifyTailClose, isServerStateText } from './tail-close.js';
import { TailDeduper } from './tail-dedupe.js';
import { parseTailFrame } from './tail-frame.js';
import { sleep } from './sleep.js';
import { StreamLines } from './stream-lines.js';
import { openSession, type Session, type SessionEvent } from './tail-session.js';

/** Waits between reconnects: initialMs, then ×factor per failed attempt, capped at maxMs. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 10_000, factor: 2 };
/** Loki pings every second; this long without a frame or a ping means the connection is dead. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** History asked for when resuming; Loki's default max_entries_limit_per_query. */
export const DEFAULT_RESUME_LIMIT = 5000;
/** Sessions in a row that die without receiving anything before we give up. */
export const DEFAULT_MAX_FAILED_ATTEMPTS = 8;
const HOUR_NS = 3_600_000_000_000n;

export interface LokiTailOptions {
  /** Full LogQL log query: stream selector plus any line filters. */
  query: string;
  /** Lines of history to print first (Loki's `limit`); 0 or absent: only new lines. */
  limit?: number;
  /** Where the history starts when `limit` is set (default: an hour ago, as Loki does). */
  historyFromNs?: bigint;
  /** Loki's `delay_for` (0–5 s): lets late lines of other streams arrive in order. */
  delayForSeconds?: number;
  backoff?: BackoffPolicy;
  idleTimeoutMs?: number;
  resumeLimit?: number;
  /** Resume this much before the last timestamp seen (default 0: exactly at it). */
  resumeOverlapNs?: bigint;
  maxFailedAttempts?: number;
  /** Clock, unix ns (tests inject a fixed one). */
  nowNs?: () => bigint;
  /** Dim, informational: reconnects. */
  onNotice?: (message: string) => void;
  /** Lines may be missing: dropped entries. */
  onWarning?: (message: string) => void;
  /** Every session's request, redacted (--verbose). */
  log?: (line: string) => void;
}

/**
 * Live lines from Loki's websocket tail endpoint (`/loki/api/v1/tail`).
 *
 * Unlike logcli, which reconnects only on 1006 and prints the replayed lines again, a session
 * that ends for a transient reason (1006 drop, 1011 "reached tail max duration limit", a network
 * error, a dead connection) is resumed with backoff from the last timestamp seen, and the
 * replayed entries are deduplicated on (labels, timestamp, line). Errors that a retry cannot fix
 * (a bad query, a tenant limit, a 4xx before the upgrade) end the read with a SourceError.
 */
export class LokiTailSource implements LogSource {
  readonly description: string;
  /** For catch-up queries after a reconnect; made on first use. */
  private client: LokiClient | undefined;
  /** Lines numbered per stream across sessions and catch-ups, as one file per stream would be. */
  private numbered = new StreamLines();

  constructor(
    readonly connection: LokiConnection,
    private readonly options: LokiTailOptions,
  ) {
    this.description = `Loki tail at ${displayUrl(connection)}`;
  }

  read(readOptions: ReadOptions): AsyncIterable<RawLine[]> {
    return this.tail(readOptions);
  }

  /** The websocket address for one session. */
  sessionUrl(startNs: bigint, limit: number | undefined): URL {
    const url = endpointUrl(this.connection, 'loki/api/v1/tail');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('query', this.options.query);
    if (limit !== undefined && limit > 0) url.searchParams.set('limit', String(limit));
    url.searchParams.set('start', startNs.toString());
    if (this.options.delayForSeconds !== undefined) url.searchParams.set('delay_for', String(this.options.delayForSeconds));
    return url;
  }

  private async *tail(ro: ReadOptions): AsyncGenerator<RawLine[]> {
    const o = this.options;
    const conn = this.connection;
    const now = o.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    const dedupe = new TailDeduper(o.resumeOverlapNs ?? 0n);
    this.numbered = new StreamLines();
    const history = o.limit !== undefined && o.limit > 0;
    const initialStart = history ? (o.historyFromNs ?? now() - HOUR_NS) : now();
    const maxFailed = o.maxFailedAttempts ?? DEFAULT_MAX_FAILED_ATTEMPTS;
    const tls = tlsOptions(conn);
    const headers = requestHeaders(conn);
    let firstOpenNs: bigint | null = null;
    let resumeLimit: number | undefined = Math.max(o.resumeLimit ?? DEFAULT_RESUME_LIMIT, o.limit ?? 0);
    let failures = 0;
    let attempts = 0;
    let sessions = 0;

    const catchUp = { why: null as string | null, skip: false };

    while (!ro.signal?.aborted) {
      const resumed = sessions > 0;
      if (resumed && dedupe.lastTimeNs !== null) {
        yield* this.catchUp(ro, dedupe, dedupe.resumeFromNs()!, now(), catchUp);
        if (ro.signal?.aborted) return;
        if (catchUp.why !== null) {
          // Loki is not back yet: the same backoff as a failed session.
          attempts += 1;
          const delay = backoffDelay(o.backoff ?? DEFAULT_BACKOFF, attempts);
          o.onNotice?.(`${catchUp.why}; reconnecting in ${formatDelay(delay)}`);
          await sleep(delay, ro.signal);
          continue;
        }
      }
      const start = resumed ? (dedupe.resumeFromNs() ?? firstOpenNs ?? initialStart) : initialStart;
      const url = this.sessionUrl(start, resumed ? resumeLimit : o.limit);
      o.log?.(redact(`GET ${url.toString()}`, conn));
      sessions++;
      // maxPayload: one frame may hold no more than one query_range answer may.
      const session = openSession(url, { headers, ...tls, handshakeTimeout: conn.timeoutMs, maxPayload: MAX_RESPONSE_BYTES }, o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
      const onAbort = (): void => session.close();
      ro.signal?.addEventListener('abort', onAbort, { once: true });

      let opened = false;
      let received = false;
      let lastError: NodeJS.ErrnoException | null = null;
      let idle = false;
      let http: Extract<SessionEvent, { kind: 'http' }> | null = null;
      let closed: { code: number; reason: string } | null = null;
      try {
        for await (const ev of session.events) {
          if (ev.kind === 'open') {
            opened = true;
            firstOpenNs ??= now();
          } else if (ev.kind === 'alive' || ev.kind === 'frame') {
            // A Loki that is still starting accepts the upgrade and then closes with `empty ring`,
            // so it is only back once it sends something (a ping comes every second).
            if (resumed && !received) o.onNotice?.(`reconnected to Loki; resuming from ${describeStart(start)}`);
            received = true;
            if (ev.kind === 'alive') continue;
            const frame = parseTailFrame(ev.data);
            if (frame.dropped > 0) {
              o.onWarning?.(`Loki dropped ${frame.dropped} ${frame.dropped === 1 ? 'line' : 'lines'} because we could not keep up; narrow the query (--service, --grep) or raise --delay-for`);
            }
            const batch: RawLine[] = [];
            for (const e of frame.entries) {
              if (!dedupe.accept(e.labelsKey, e.timeNs, e.line)) continue;
              ro.stats.linesRead += 1;
              ro.stats.bytesRead += Buffer.byteLength(e.line) + 1;
              batch.push(this.numbered.line(e));
            }
            if (batch.length > 0) yield batch;
          } else if (ev.kind === 'http') {
            http = ev;
          } else if (ev.kind === 'error') {
            lastError = ev.error;
          } else if (ev.kind === 'idle') {
            idle = true;
          } else {
            closed = { code: ev.code, reason: ev.reason };
          }
        }
      } finally {
        ro.signal?.removeEventListener('abort', onAbort);
        session.terminate();
      }
      if (ro.signal?.aborted) return;

      // Why did the session end, and can another one help?
      let why: string;
      let serverState = false;
      if (http && http.status === 400 && resumed && resumeLimit !== o.limit && /limit/i.test(http.body)) {
        // This Loki caps entries per query below our resume limit: resume with the user's (or Loki's default).
        resumeLimit = o.limit;
        o.onNotice?.(`Loki refused a resume limit (${oneLine(http.body)}); resuming with ${o.limit ?? "Loki's default"}`);
        continue;
      }
      if (http) {
        // A starting or stopping Loki answers 5xx or even 4xx with a ring error: not the query's fault.
        const retryable = http.status === 429 || http.status >= 500 || isServerStateText(http.body);
        if (!retryable) {
          throw new SourceError(httpErrorMessage(http.status, http.contentType, http.body, conn).replace(/the query/, 'the tail'));
        }
        why = `Loki answered ${http.status}${http.body.trim() ? ` (${oneLine(http.body).slice(0, 120)})` : ''}`;
        serverState = true;
      } else if (!opened) {
        const code = lastError?.code;
        const message = networkErrorMessage(code, lastError?.message ?? 'connection failed', conn, conn.timeoutMs);
        // Never reached at all: most likely a wrong address, said at once. Once it has answered,
        // an unreachable Loki is one restarting, waited for as long as the tail runs.
        if (firstOpenNs === null) throw new SourceError(message);
        why = message;
        serverState = true;
      } else if (idle) {
        why = `no data or ping from Loki for ${Math.round((o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) / 1000)}s`;
      } else {
        const decision = classifyTailClose(closed?.code ?? 1006, closed?.reason ?? '');
        if (decision.action === 'fail') throw new SourceError(redact(decision.message, conn));
        why = decision.why;
        serverState = decision.serverState === true;
        // Loki 2.8 cannot send a close reason longer than a control frame holds (its long
        // "at least one matcher" message): the socket just drops. Ask query_range whether the
        // query itself is the problem before treating the drop as a network fault.
        if (!received && (closed?.code ?? 1006) === 1006) {
          const rejected = await this.queryRejection(ro, now());
          if (rejected) throw new SourceError(rejected);
        }
      }
      // Loki unreachable or in a transient state (restarting, ring not ready): keep trying, like
      // tail -F does for a file. Sessions that open but die before sending anything for no such
      // reason point at a problem a retry will not fix (Loki drops a tail whose start is too old
      // that way), so those are counted.
      attempts = received ? 0 : attempts + 1;
      failures = received ? 0 : serverState ? failures : failures + 1;
      if (failures >= maxFailed) {
        throw new SourceError(redact(`gave up following Loki after ${failures} failed reconnects: ${why}`, conn));
      }
      const delay = backoffDelay(o.backoff ?? DEFAULT_BACKOFF, attempts);
      o.onNotice?.(`${why}; reconnecting in ${formatDelay(delay)}`);
      await sleep(delay, ro.signal);
    }
  }

  /** Loki's message when it rejects the tail's query as a query (4xx), else null (fine, or not knowable now). */
  private async queryRejection(ro: ReadOptions, nowNs: bigint): Promise<string | null> {
    this.client ??= new LokiClient(this.connection, { retry: { limit: 0, baseDelayMs: 0, maxDelayMs: 0 }, log: this.options.log });
    try {
      await this.client.queryRange({ query: this.options.query, startNs: nowNs - 60_000_000_000n, endNs: nowNs, limit: 1, direction: 'backward' }, ro.signal);
      return null;
    } catch (err) {
      if (!(err instanceof LokiRequestError) || err.status === null || err.status === 404 || err.status === 429 || err.status >= 500) return null;
      if (isServerStateText(err.body)) return null;
      return err.message.replace(/the query/, 'the tail');
    }
  }

  /**
   * Before a resumed session: the lines Loki ingested since the last one seen, from query_range
   * (the tail's own history is only the newest `limit` lines, so a long outage would lose the
   * rest). Returns null when caught up, else why not (transient: back off and try again).
   */
  private async *catchUp(
    ro: ReadOptions,
    dedupe: TailDeduper,
    fromNs: bigint,
    toNs: bigint,
    state: { why: string | null; skip: boolean },
  ): AsyncGenerator<RawLine[]> {
    state.why = null;
    if (state.skip || fromNs >= toNs) return;
    this.client ??= new LokiClient(this.connection, { retry: { limit: 0, baseDelayMs: 0, maxDelayMs: 0 }, log: this.options.log });
    try {
      for await (const page of pageRange(this.client, { query: this.options.query, startNs: fromNs, endNs: toNs, direction: 'forward', signal: ro.signal, onWarning: this.options.onWarning })) {
        const batch: RawLine[] = [];
        for (const e of page) {
          if (!dedupe.accept(e.labelsKey, e.timeNs, e.line)) continue;
          ro.stats.linesRead += 1;
          ro.stats.bytesRead += Buffer.byteLength(e.line) + 1;
          batch.push(this.numbered.line(e));
        }
        if (batch.length > 0) yield batch;
      }
    } catch (err) {
      if (ro.signal?.aborted) return;
      if (!(err instanceof LokiRequestError) || err instanceof ResponseTooLargeError) throw err;
      if (err.status === 404) {
        // A tail-only endpoint (some gateways): the tail's own history has to do.
        state.skip = true;
        this.options.log?.('no query_range here (404); resuming from the tail history only');
        return;
      }
      const transient = err.status === null || err.status === 429 || err.status >= 500 || isServerStateText(err.body);
      if (!transient) throw new SourceError(err.message.replace(/the query/, 'the tail'));
      state.why = err.message;
    }
  }
}

export function backoffDelay(policy: BackoffPolicy, failures: number): number {
  const factor = policy.factor ?? 2;
  return Math.min(policy.maxMs, policy.initialMs * factor ** Math.max(0, failures - 1));
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
}

function describeStart(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  return Number.isNaN(d.getTime()) ? `${ns}` : d.toISOString();
}
