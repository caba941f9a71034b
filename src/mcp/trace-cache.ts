import { stat } from 'node:fs/promises';

/**
 * The analysed traces an agent is looking at. An agent calls three to six tools on the same
 * trace in a row (get_trace, get_trace_errors, get_span_details…): each would otherwise read the
 * logs again, which on a 1 GiB file is half a second or more every time.
 *
 * Bounded by entries and by the log records they hold, least recently used out first. An entry
 * read from files is used only while every file keeps its size, mtime and inode (a file that
 * grew may hold more of the trace); one read from Loki only for a short TTL, since new lines can
 * arrive in the window at any time.
 */
export const CACHE_MAX_TRACES = 8;
export const CACHE_MAX_RECORDS = 400_000;
export const LOKI_TTL_MS = 30_000;

/** What decides whether a cached read still stands. */
export type Freshness = { fingerprint: string } | { ttlMs: number };

interface Entry<T> {
  value: T;
  records: number;
  freshness: Freshness;
  storedAt: number;
}

export class TraceCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Reads in progress, so two calls for the same trace at once read the logs once. */
  private readonly inFlight = new Map<string, Promise<T>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly limits = { traces: CACHE_MAX_TRACES, records: CACHE_MAX_RECORDS },
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The cached value for key when still fresh, else load()'s, stored when small enough.
   * `freshness` is taken before the read: a file that changes during it is read again next time.
   */
  async get(key: string, freshness: Freshness, load: () => Promise<{ value: T; records: number }>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && (await this.isFresh(entry, freshness))) {
      this.hits++;
      // Map order is the LRU order: move it to the back.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    this.entries.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    this.misses++;
    const read = load().then(({ value, records }) => {
      if (records <= this.limits.records) this.store(key, { value, records, freshness, storedAt: this.now() });
      return value;
    });
    this.inFlight.set(key, read);
    try {
      return await read;
    } finally {
      this.inFlight.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, entry: Entry<T>): void {
    this.entries.set(key, entry);
    let records = 0;
    for (const e of this.entries.values()) records += e.records;
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size <= this.limits.traces && records <= this.limits.records) break;
      this.entries.delete(oldKey);
      records -= old.records;
    }
  }

  private async isFresh(entry: Entry<T>, now: Freshness): Promise<boolean> {
    if ('ttlMs' in entry.freshness) return this.now() - entry.storedAt < entry.freshness.ttlMs;
    return 'fingerprint' in now && now.fingerprint === entry.freshness.fingerprint;
  }
}

/** Size, mtime and inode of each file: any change means the trace may have changed. */
export async function filesFingerprint(paths: readonly string[]): Promise<Freshness> {
  const parts = await Promise.all(
    paths.map(async (p) => {
      try {
        const s = await stat(p, { bigint: true });
        return `${p}:${s.size}:${s.mtimeNs}:${s.ino}`;
      } catch {
        return `${p}:gone`;
      }
    }),
  );
  return { fingerprint: parts.join('\n') };
}
