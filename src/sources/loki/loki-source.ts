import type { RawLine } from '../../types.js';
import type { LogSource, ReadOptions } from '../source.js';
import { DEFAULT_RETRY, LokiClient, type RetryPolicy } from './client.js';
import { displayUrl, type LokiConnection } from './config.js';
import { orderedParallel } from './ordered-parallel.js';
import { LOKI_SPLIT_NS, RangePacer } from './pacer.js';
import { pageRange } from './query-range.js';
import type { Direction, LokiEntry } from './response.js';
import { StreamLines } from './stream-lines.js';
import { MAX_QUERY_LENGTH_NS, serverQueryLengthLimit, splitRange, type TimeRange } from './split.js';

/** Sub-ranges fetched at once by default: enough to hide latency, gentle on a shared Loki. */
export const DEFAULT_PARALLEL = 4;

export interface LokiProgress {
  /** Entries received so far. */
  lines: number;
  /** HTTP requests sent so far, retries included. */
  requests: number;
  bytes: number;
  /** Sub-ranges (one request's span each) finished, and the estimate of all of them at the current span. */
  rangesDone: number;
  rangesTotal: number;
}

export interface LokiSourceOptions {
  /** Full LogQL log query, e.g. from traceQuery(). */
  query: string;
  /** Inclusive. */
  fromNs: bigint;
  /** Exclusive. */
  toNs: bigint;
  /** Entries per request (default and maximum 5000). */
  limit?: number;
  /** Sub-ranges fetched at once (default 4). */
  parallel?: number;
  /** Order of the lines delivered; forward (oldest first) by default. */
  direction?: Direction;
  /** The server's max_query_length, if not Loki's default 721h. Learnt from the server's answer otherwise. */
  maxQueryLengthNs?: bigint;
  retry?: RetryPolicy;
  /** --verbose: one redacted line per request. */
  log?: (line: string) => void;
  /** Lines fetched and requests made, after each request. When given, ReadOptions.onProgress is left alone. */
  onFetchProgress?: (progress: LokiProgress) => void;
  /** The read ended (done, failed or abandoned): time to stop a spinner. */
  onFetchEnd?: () => void;
  /** Lines that may be missing; also collected in `warnings`. */
  onWarning?: (message: string) => void;
}

interface StartedFetch {
  pages: AsyncGenerator<LokiEntry[]>;
  first: Promise<IteratorResult<LokiEntry[]>>;
  controller: AbortController;
}

/**
 * Lines of one LogQL query over a time window, from Loki's query_range API. The window is cut into
 * sub-ranges (never longer than the server allows) fetched `parallel` at a time, each paged by
 * timestamp; batches come out in time order, the same as a serial fetch would give.
 */
export class LokiSource implements LogSource {
  readonly description: string;
  readonly warnings: string[] = [];
  private readonly client: LokiClient;
  private readonly progress: LokiProgress = { lines: 0, requests: 0, bytes: 0, rangesDone: 0, rangesTotal: 0 };
  private pacer: RangePacer | null = null;
  /** Nanoseconds of the window fetched so far. */
  private coveredNs = 0n;
  /** Requests sent by prefetch() that no read() has taken over yet. */
  private started: StartedFetch | null = null;

  constructor(
    readonly connection: LokiConnection,
    private readonly options: LokiSourceOptions,
  ) {
    this.description = `Loki at ${displayUrl(connection)}`;
    // 429 is the pacer's to handle: it slows down and asks again in shorter pieces.
    this.client = new LokiClient(connection, { retry: options.retry, log: options.log, noRetryOn429: true });
  }

  /** Requests sent so far, retries included. */
  get requests(): number {
    return this.client.requests;
  }

  /**
   * Sends the first requests now, before anyone reads: `show` calls this, then loads the modules
   * that parse and draw the trace while Loki answers (start-up is most of a small query). The next
   * read() takes these requests over; without one, they run to their end and are dropped.
   */
  prefetch(): void {
    this.started ??= this.startFetch();
  }

  async *read(read: ReadOptions): AsyncIterable<RawLine[]> {
    const fetch = this.started ?? this.startFetch();
    this.started = null;
    const onAbort = () => fetch.controller.abort(read.signal?.reason);
    if (read.signal?.aborted) onAbort();
    read.signal?.addEventListener('abort', onAbort, { once: true });
    const needles = read.needles && read.needles.length > 0 ? read.needles : null;
    const reportBytes = this.options.onFetchProgress ? undefined : read.onProgress;
    const numbered = new StreamLines();
    try {
      for (let next = await fetch.first; !next.done; next = await fetch.pages.next()) {
        const batch: RawLine[] = [];
        for (const entry of next.value) {
          read.stats.linesRead += 1;
          read.stats.bytesRead += Buffer.byteLength(entry.line) + 1;
          const line = numbered.line(entry);
          if (needles && !needles.some((n) => entry.line.includes(n))) continue;
          batch.push(line);
        }
        reportBytes?.(read.stats.bytesRead, 0);
        if (batch.length > 0) yield batch;
      }
    } finally {
      read.signal?.removeEventListener('abort', onAbort);
      // Leaving early (an error downstream, Ctrl-C) ends the fetch: its requests are aborted.
      await fetch.pages.return(undefined);
      this.options.onFetchEnd?.();
    }
  }

  /** The window's requests, started: `first` is the first page's promise, asked for at once. */
  private startFetch(): StartedFetch {
    const parallel = Math.max(1, Math.floor(this.options.parallel ?? DEFAULT_PARALLEL));
    const direction = this.options.direction ?? 'forward';
    const ranges = splitRange(
      { startNs: this.options.fromNs, endNs: this.options.toNs },
      { parts: parallel, maxLengthNs: this.options.maxQueryLengthNs ?? MAX_QUERY_LENGTH_NS, alignNs: LOKI_SPLIT_NS },
    );
    if (direction === 'backward') ranges.reverse();
    this.pacer = new RangePacer({ concurrency: parallel, log: this.options.log, baseDelayMs: this.options.retry?.baseDelayMs, maxDelayMs: this.options.retry?.maxDelayMs, retryLimit: (this.options.retry ?? DEFAULT_RETRY).limit });
    this.coveredNs = 0n;
    this.progress.rangesTotal = this.estimateRanges();
    const controller = new AbortController();
    const pages = orderedParallel(ranges, (range, signal) => this.fetchRange(range, direction, signal), { concurrency: parallel, signal: controller.signal });
    const first = pages.next();
    // A failure is seen by read(); a prefetch that is never read must not crash the process.
    first.catch(() => {});
    return { pages, first, controller };
  }

  /** One sub-range, re-cut if the server turns out to allow shorter ranges than we assumed. */
  private async *fetchRange(range: TimeRange, direction: Direction, signal: AbortSignal): AsyncGenerator<LokiEntry[]> {
    let delivered = false;
    try {
      for await (const page of this.pages(range, direction, signal)) {
        delivered = true;
        yield page;
      }
    } catch (err) {
      const serverMax = delivered ? null : serverQueryLengthLimit(err);
      if (serverMax === null || serverMax >= range.endNs - range.startNs) throw err;
      const parts = splitRange(range, { maxLengthNs: serverMax });
      if (direction === 'backward') parts.reverse();
      for (const part of parts) yield* this.pages(part, direction, signal);
    }
  }

  /** Requests a sparse window still takes at the pacer's current span, plus those done. */
  private estimateRanges(): number {
    const span = this.pacer?.spanNs() ?? 1n;
    const left = this.options.toNs - this.options.fromNs - this.coveredNs;
    return this.progress.rangesDone + Number(left <= 0n ? 0n : (left + span - 1n) / span);
  }

  /** 429s Loki answered that the pacer absorbed (it slowed down instead of failing). */
  get throttled(): number {
    return this.pacer?.throttled ?? 0;
  }

  private pages(range: TimeRange, direction: Direction, signal: AbortSignal): AsyncGenerator<LokiEntry[]> {
    let doneHere = 0n;
    return pageRange(this.client, {
      pacer: this.pacer ?? undefined,
      query: this.options.query,
      startNs: range.startNs,
      endNs: range.endNs,
      limit: this.options.limit,
      direction,
      signal,
      onWarning: (message) => {
        this.warnings.push(message);
        this.options.onWarning?.(message);
      },
      onPage: (entries, bytes, doneNs, pieceDone) => {
        this.coveredNs += doneNs - doneHere;
        doneHere = doneNs;
        if (pieceDone) this.progress.rangesDone += 1;
        this.progress.rangesTotal = this.estimateRanges();
        this.progress.lines += entries;
        this.progress.bytes += bytes;
        this.progress.requests = this.client.requests;
        this.options.onFetchProgress?.({ ...this.progress });
      },
    });
  }
}
