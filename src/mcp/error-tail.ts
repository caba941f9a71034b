import type { Where } from '../cli/check-traces-source.js';
import { fileLabels } from '../cli/source-options.js';
import { isErrorRecord } from '../cli/tail-filters.js';
import { normaliseLine } from '../normalise/normalise.js';
import { FollowSource } from '../sources/follow.js';
import { streamSelector } from '../sources/loki/logql.js';
import type { LogSource } from '../sources/source.js';
import { newStats, type LogRecord } from '../types.js';

/** Error lines kept per followed source set; older ones are dropped first (and counted). */
export const ERROR_TAIL_CAP = 2000;
/** A kept message or error text is cut to this many characters. */
const MAX_TEXT = 300;

/** One error line as it was seen. */
export interface SeenError {
  /** When the server read the line (ms since the epoch): what "the last N seconds" means. */
  seenAtMs: number;
  /** The line's own time, unix ns, when it has one. */
  timeNs: bigint | null;
  service: string | null;
  traceId: string | null;
  spanId: string | null;
  level: string;
  message: string;
  error: string | null;
  where: string;
}

/**
 * Follows sources in the background from start-up and keeps their recent error lines in a ring
 * buffer of ERROR_TAIL_CAP entries, for tail_errors. Files are followed like `tail -F` from their
 * end; Loki through its websocket tail. A failure ends the follow and is kept to be reported.
 */
export class ErrorTail {
  readonly startedAtMs: number;
  private readonly ring: SeenError[] = [];
  private next = 0;
  /** Error lines pushed out of the ring by newer ones. */
  dropped = 0;
  linesRead = 0;
  /** Why the follow stopped, when it did. */
  ended: string | null = null;
  private readonly controller = new AbortController();

  constructor(
    private readonly source: LogSource,
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAtMs = now();
  }

  get description(): string {
    return this.source.description;
  }

  /** Starts following; returns at once. */
  start(): this {
    void this.follow();
    return this;
  }

  stop(): void {
    this.controller.abort();
  }

  /** The kept errors seen at or after `sinceMs`, oldest first. */
  since(sinceMs: number): SeenError[] {
    const ordered = this.ring.length < ERROR_TAIL_CAP ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.filter((e) => e.seenAtMs >= sinceMs);
  }

  /** Records one normalised line (exposed for the follow loop and tests). */
  add(record: LogRecord): void {
    if (!isErrorRecord(record)) return;
    const seen: SeenError = {
      seenAtMs: this.now(),
      timeNs: record.timeNs,
      service: record.service,
      traceId: record.traceId,
      spanId: record.spanId,
      level: record.level ?? 'error',
      message: cut(record.message),
      error: record.error === null ? null : cut(record.error),
      where: record.lineNo > 0 ? `${record.origin}:${record.lineNo}` : record.origin,
    };
    if (this.ring.length < ERROR_TAIL_CAP) {
      this.ring.push(seen);
      return;
    }
    this.ring[this.next] = seen;
    this.next = (this.next + 1) % ERROR_TAIL_CAP;
    this.dropped++;
  }

  private async follow(): Promise<void> {
    const stats = newStats();
    try {
      for await (const batch of this.source.read({ stats, signal: this.controller.signal })) {
        this.linesRead += batch.length;
        for (const raw of batch) for (const record of normaliseLine(raw) ?? []) this.add(record);
      }
      if (!this.controller.signal.aborted) this.ended = 'the source ended';
    } catch (err) {
      this.ended = err instanceof Error ? err.message : String(err);
      this.log(`tail_errors stopped following ${this.source.description}: ${this.ended}`);
    }
  }
}

/** How long a start waits for followed files to be opened. */
const READY_WAIT_MS = 2000;

/**
 * What to follow for a source set: its files from their end, or Loki's live lines. `ready`
 * settles once the files' start positions are fixed, so a line written after it is seen.
 */
export async function followSourceFor(where: Where, notice: (message: string) => void): Promise<{ source: LogSource; ready: Promise<void> } | null> {
  if (where.kind === 'local') {
    if (where.args.length === 0 || where.args.includes('-')) return null;
    let opened: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      opened = resolve;
      setTimeout(resolve, READY_WAIT_MS).unref();
    });
    return { source: new FollowSource({ patterns: where.args, labelsFor: fileLabels, onNotice: notice, onReady: () => opened() }), ready };
  }
  const { LokiTailSource } = await import('../sources/loki/tail.js');
  const source = new LokiTailSource(where.connection, {
    query: streamSelector({ selector: where.flags.selector }),
    onNotice: notice,
    onWarning: notice,
  });
  return { source, ready: Promise.resolve() };
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (cut)` : text;
}

/** Source sets followed at once at most: the start-up one and a few a call named. */
export const MAX_FOLLOWED = 4;

/** The followed source sets, by what they follow; the start-up one begins with the server. */
export class ErrorTails {
  private readonly tails = new Map<string, ErrorTail>();

  constructor(private readonly log: (message: string) => void) {}

  /** The tail of these sources, started now when not followed yet (`fresh`); null when nothing can be followed. */
  async follow(where: Where): Promise<{ tail: ErrorTail; fresh: boolean } | null> {
    const key = where.kind === 'local' ? `files\0${where.args.join('\0')}` : `loki\0${where.connection.url}\0${where.flags.selector ?? ''}`;
    const known = this.tails.get(key);
    if (known) return { tail: known, fresh: false };
    if (this.tails.size >= MAX_FOLLOWED) return null;
    const follow = await followSourceFor(where, this.log);
    if (!follow) return null;
    const tail = new ErrorTail(follow.source, this.log).start();
    this.tails.set(key, tail);
    await follow.ready;
    return { tail, fresh: true };
  }

  get full(): boolean {
    return this.tails.size >= MAX_FOLLOWED;
  }

  stopAll(): void {
    for (const tail of this.tails.values()) tail.stop();
  }
}
