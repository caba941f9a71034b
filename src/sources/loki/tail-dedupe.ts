/**
 * Remembers the entries at the tail's high-water mark so a resumed session (which replays from
 * `start`, inclusive) neither repeats nor loses lines.
 *
 * The key is (labels, timestamp, line): two streams may log the same text at the same
 * nanosecond, and logcli's (timestamp, line) key would drop one of them. Only entries at or after
 * `maxTs - overlap` can be replayed, so only their keys are kept: memory stays bounded by the
 * traffic of the overlap window, not by the session's length.
 */
export class TailDeduper {
  private maxTs: bigint | null = null;
  /** Keys of entries with timestamp >= floor, by timestamp. */
  private readonly recent = new Map<bigint, Set<string>>();

  constructor(private readonly overlapNs: bigint = 0n) {}

  /** True when the entry is new (and records it); false when it was delivered before. */
  accept(labelsKey: string, timeNs: bigint, line: string): boolean {
    const floor = this.floor();
    // Older than anything a resume replays: it cannot be a repeat.
    if (floor !== null && timeNs < floor) return true;
    const key = `${labelsKey}\u0000${line}`;
    let keys = this.recent.get(timeNs);
    if (keys?.has(key)) return false;
    if (!keys) {
      keys = new Set();
      this.recent.set(timeNs, keys);
    }
    keys.add(key);
    if (this.maxTs === null || timeNs > this.maxTs) {
      this.maxTs = timeNs;
      this.prune();
    }
    return true;
  }

  /** Where a resumed session starts (Loki's `start`, inclusive); null before the first entry. */
  resumeFromNs(): bigint | null {
    return this.floor();
  }

  /** Highest timestamp seen. */
  get lastTimeNs(): bigint | null {
    return this.maxTs;
  }

  private floor(): bigint | null {
    return this.maxTs === null ? null : this.maxTs - this.overlapNs;
  }

  private prune(): void {
    const floor = this.floor()!;
    for (const ts of this.recent.keys()) if (ts < floor) this.recent.delete(ts);
  }
}
