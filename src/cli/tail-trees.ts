import { traceIdsMatch } from '../trace-id.js';
import type { LogRecord } from '../types.js';

/**
 * `tail --trees` for local sources: the records of recent traces, kept so that an error line's
 * whole trace can be assembled without reading the files again. Bounded three ways — records per
 * trace, records in all, and age since a trace's last line — so a long-running tail on a busy
 * service keeps flat memory. Least recently active traces go first.
 */
export interface TraceBufferLimits {
  maxRecordsPerTrace: number;
  maxRecords: number;
  maxAgeMs: number;
}

export const DEFAULT_BUFFER_LIMITS: TraceBufferLimits = {
  maxRecordsPerTrace: 5000,
  maxRecords: 200_000,
  maxAgeMs: 10 * 60_000,
};

interface Entry {
  records: LogRecord[];
  lastSeenMs: number;
}

export class TraceBuffer {
  private readonly traces = new Map<string, Entry>();
  private total = 0;

  constructor(
    private readonly limits: TraceBufferLimits = DEFAULT_BUFFER_LIMITS,
    private readonly nowMs: () => number = Date.now,
  ) {}

  add(record: LogRecord): void {
    if (!record.traceId) return;
    const now = this.nowMs();
    let entry = this.traces.get(record.traceId);
    if (entry) {
      // Move to the back: Map order is our least-recently-active order.
      this.traces.delete(record.traceId);
    } else {
      entry = { records: [], lastSeenMs: now };
    }
    entry.lastSeenMs = now;
    if (entry.records.length < this.limits.maxRecordsPerTrace) {
      entry.records.push(record);
      this.total++;
    }
    this.traces.set(record.traceId, entry);
    this.evict(now);
  }

  /** Every buffered record of the trace, in arrival order; ids written differently (64/128-bit) count. */
  recordsOf(traceId: string): LogRecord[] {
    const exact = this.traces.get(traceId);
    const out: LogRecord[] = exact ? [...exact.records] : [];
    for (const [id, entry] of this.traces) {
      if (id !== traceId && traceIdsMatch(id, traceId)) for (const r of entry.records) out.push(r);
    }
    return out;
  }

  get size(): number {
    return this.total;
  }

  private evict(now: number): void {
    for (const [id, entry] of this.traces) {
      const tooOld = now - entry.lastSeenMs > this.limits.maxAgeMs;
      if (!tooOld && this.total <= this.limits.maxRecords) break;
      this.traces.delete(id);
      this.total -= entry.records.length;
    }
  }
}

/**
 * Prints each trace's tree once, `settleMs` after its first error line, so the lines that arrive
 * just after the error (callers logging their own failure, the root's final line) make it in.
 */
export class TreeScheduler {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; atNs: bigint | null }>();
  /** Traces already printed (or being printed); bounded, oldest forgotten first. */
  private readonly done = new Set<string>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly settleMs: number,
    private readonly print: (traceId: string, atNs: bigint | null) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly maxRemembered = 10_000,
  ) {}

  request(traceId: string, atNs: bigint | null): void {
    if (this.done.has(traceId) || this.pending.has(traceId)) return;
    const timer = setTimeout(() => this.fire(traceId), this.settleMs);
    this.pending.set(traceId, { timer, atNs });
  }

  /** Prints every pending tree now (the input ended: nothing more will arrive) and waits for all. */
  async flush(): Promise<void> {
    for (const traceId of [...this.pending.keys()]) this.fire(traceId);
    await this.idle();
  }

  /** Waits for the trees being printed. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Drops the pending trees (Ctrl-C). */
  cancel(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private fire(traceId: string): void {
    const entry = this.pending.get(traceId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(traceId);
    this.done.add(traceId);
    if (this.done.size > this.maxRemembered) this.done.delete(this.done.values().next().value as string);
    const run = this.print(traceId, entry.atNs)
      .catch((err: unknown) => this.onError(err))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }
}
