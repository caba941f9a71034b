import { LokiRequestError } from './errors.js';
import { sleep } from './sleep.js';

const NS_PER_MINUTE = 60_000_000_000n;
/** Loki's default `split_queries_by_interval`: each request becomes one sub-query per 30 minutes. */
export const LOKI_SPLIT_NS = 30n * NS_PER_MINUTE;
/**
 * Sub-queries we allow ourselves in Loki's queue at once. Loki 2.8 queues at most 100 per tenant
 * (`max_outstanding_per_tenant`) and answers 429 "too many outstanding requests" beyond; a third
 * is left to other users of the tenant and to the pieces of a failed request still draining.
 */
export const OUTSTANDING_BUDGET = 64;
/** 429s in a row, at the slowest pace, before giving up. */
const MAX_STALLS = 10;

export interface PacerOptions {
  /** Requests at once to begin with (--parallel). */
  concurrency: number;
  budget?: number;
  splitNs?: bigint;
  /** Waits after a 429 without Retry-After: base × 2^n, capped. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Retries of a 429 that is not Loki's queue overflowing (the client's retry limit). */
  retryLimit?: number;
  /** Told when the pace drops (--verbose). */
  log?: (line: string) => void;
}

/**
 * Paces one query's range requests so Loki's per-tenant queue never overflows: at most
 * `concurrency` requests at once, none spanning more than budget/concurrency split intervals.
 * On 429 "too many outstanding requests" it halves both (down to one request of one interval),
 * waits (Retry-After when sent) and lets the request be asked again, shorter. After a run of
 * successes the pace goes back up, a step at a time.
 */
export class RangePacer {
  private limit: number;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private span: bigint;
  private readonly maxConcurrency: number;
  private readonly maxSpan: bigint;
  private readonly minSpan: bigint;
  private stalls = 0;
  /** Other 429s in a row (not Loki's queue). */
  private rateLimited = 0;
  /** Bumped at each slow-down; a request's error remembers the round it was sent in. */
  private generation = 0;
  private readonly startedIn = new WeakMap<object, number>();
  private successes = 0;
  /** 429s absorbed so far. */
  throttled = 0;

  constructor(private readonly options: PacerOptions) {
    this.maxConcurrency = Math.max(1, Math.floor(options.concurrency));
    this.limit = this.maxConcurrency;
    this.minSpan = options.splitNs ?? LOKI_SPLIT_NS;
    const budget = BigInt(Math.max(1, options.budget ?? OUTSTANDING_BUDGET));
    const pieces = budget / BigInt(this.maxConcurrency);
    this.maxSpan = this.minSpan * (pieces > 0n ? pieces : 1n);
    this.span = this.maxSpan;
  }

  /** Longest range one request may ask for now. */
  spanNs(): bigint {
    return this.span;
  }

  get concurrency(): number {
    return this.limit;
  }

  /** Runs one request when a slot is free. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    const generation = this.generation;
    try {
      const result = await request();
      this.succeeded();
      return result;
    } catch (err) {
      if (err !== null && typeof err === 'object') this.startedIn.set(err, generation);
      throw err;
    } finally {
      this.active--;
      this.wakeOne();
    }
  }

  /**
   * A failed request: when it is Loki's queue overflowing (429), slow down, wait, and resolve so the
   * caller asks again (with the new, shorter span). Anything else, or a 429 that persists at the
   * slowest pace, is rethrown.
   */
  async backOff(err: unknown, signal?: AbortSignal): Promise<void> {
    if (!(err instanceof LokiRequestError) || err.status !== 429) throw err;
    if (!/too many outstanding requests/i.test(err.body)) {
      // Some other rate limit (a gateway's, say): slowing down our queue share does not help,
      // waiting might. Bounded, like any other retry.
      this.rateLimited++;
      const limit = this.options.retryLimit ?? 4;
      if (this.rateLimited > limit) {
        const attempts = this.rateLimited;
        this.rateLimited = 0;
        throw new LokiRequestError(err.message.replace('(429): ', `(429) after ${attempts} attempts: `), err.status, err.body, err.retryAfterMs);
      }
      const base = this.options.baseDelayMs ?? 500;
      const delay = Math.min(err.retryAfterMs ?? Infinity, this.options.maxDelayMs ?? 8_000, err.retryAfterMs === undefined ? base * 2 ** (this.rateLimited - 1) : Infinity);
      this.options.log?.(`retry ${this.rateLimited} after 429`);
      await sleep(delay, signal);
      return;
    }
    this.throttled++;
    this.successes = 0;
    // Requests sent before the last slow-down say nothing new: slow down once per round.
    if ((this.startedIn.get(err) ?? this.generation) === this.generation) {
      const slowest = this.limit === 1 && this.span === this.minSpan;
      if (slowest) this.stalls++;
      if (this.stalls >= MAX_STALLS) throw err;
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.span = this.span / 2n > this.minSpan ? this.span / 2n : this.minSpan;
      this.generation++;
    }
    const base = this.options.baseDelayMs ?? 500;
    const ceiling = this.options.maxDelayMs ?? 8_000;
    const delay = Math.min(ceiling, err.retryAfterMs ?? base * 2 ** Math.min(this.stalls, 6));
    this.options.log?.(`429 (${firstLine(err.body)}): ${this.limit} at once, ${formatSpan(this.span)} per request, waiting ${delay} ms`);
    await sleep(delay, signal);
  }

  private succeeded(): void {
    this.stalls = 0;
    this.rateLimited = 0;
    // Additive increase: after a run of successes, one more request at once, then longer spans.
    if (++this.successes < 8) return;
    this.successes = 0;
    if (this.span < this.maxSpan) this.span = this.span * 2n < this.maxSpan ? this.span * 2n : this.maxSpan;
    else if (this.limit < this.maxConcurrency) {
      this.limit++;
      this.wakeOne();
    }
  }

  private wakeOne(): void {
    while (this.waiting.length > 0 && this.active < this.limit) {
      this.waiting.shift()!();
      // The woken one re-checks on its own; wake only as many as there are free slots.
      break;
    }
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().slice(0, 80) || 'rate-limited';
}

function formatSpan(ns: bigint): string {
  const minutes = Number(ns / NS_PER_MINUTE);
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}
