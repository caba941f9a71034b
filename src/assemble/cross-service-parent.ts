import type { InferredBy, Span } from '../types.js';

/** A child may start a little after its parent's (corrected) end: lines from different hosts are rarely in perfect order. */
export const CROSS_SLACK_NS = 5_000_000n;

interface Candidate {
  span: Span;
  /** Start and end on the reference clock. */
  start: bigint;
  end: bigint;
  /** Position in the span list: the first of equals wins, as a plain scan over the list would choose. */
  order: number;
}

/**
 * Finds, for entry spans taken in order of their corrected start, the parent in another service:
 * the shortest span of another service whose interval holds the entry's start (else, within the
 * slack, one that ended just before it), else the one that started last before it. A linear scan per entry is quadratic, and a long
 * batch trace has tens of thousands of entries, so this sweeps once:
 *
 *  - per service, a min-heap by duration of the spans started so far; a span whose end (plus the
 *    slack) is behind the sweep can never hold a later entry, so it is dropped when it surfaces;
 *  - per service, the spans sorted by start, for the latest one started before the entry.
 *
 * A query looks at each other service's best candidate: O(services · log spans) per entry.
 * `query` must be called with non-decreasing starts.
 */
export class CrossServiceParents {
  private readonly byStart: Candidate[];
  private readonly services = new Map<string, { active: CandidateHeap; started: Candidate[] }>();
  private next = 0;

  constructor(
    spans: readonly Span[],
    correctedStart: (s: Span) => bigint,
    correctedEnd: (s: Span) => bigint,
    private readonly isAncestor: (ancestor: Span, maybeDescendant: Span) => boolean,
  ) {
    this.byStart = spans
      .map((span, order) => ({ span, start: correctedStart(span), end: correctedEnd(span), order }))
      .filter((c) => !c.span.placeholder)
      .sort((a, b) => (a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.order - b.order));
  }

  query(entry: Span, start: bigint): { span: Span; by: InferredBy } | null {
    // Everything that started at or before the entry joins its service's heap and list.
    while (this.next < this.byStart.length && this.byStart[this.next]!.start <= start) {
      const c = this.byStart[this.next++]!;
      let service = this.services.get(c.span.service);
      if (!service) this.services.set(c.span.service, (service = { active: new CandidateHeap(), started: [] }));
      service.active.push(c);
      service.started.push(c);
    }
    // A parent starts no later than its child: at the same instant only when it is longer.
    const eligible = (c: Candidate) => (c.start < start || c.span.durationMs > entry.durationMs) && !this.isAncestor(entry, c.span);
    let container: Candidate | null = null;
    let before: Candidate | null = null;
    for (const [name, service] of this.services) {
      if (name === entry.service) continue;
      const c = service.active.best(start, eligible);
      if (c && (!container || holdsBetter(c, container, start))) container = c;
      const b = latestStarted(service.started, eligible);
      if (b && (!before || b.start > before.start || (b.start === before.start && b.order < before.order))) before = b;
    }
    if (container) return { span: container.span, by: 'containment' };
    return before ? { span: before.span, by: 'order' } : null;
  }
}

/** `a` is the better container of an entry starting at `start`: running at it, then shorter, then listed first. */
function holdsBetter(a: Candidate, b: Candidate, start: bigint): boolean {
  const aRuns = a.end >= start;
  if (aRuns !== (b.end >= start)) return aRuns;
  return less(a, b);
}

/** The latest-started eligible candidate (the first listed among equal starts). */
function latestStarted(started: readonly Candidate[], eligible: (c: Candidate) => boolean): Candidate | null {
  let found: Candidate | null = null;
  for (let i = started.length - 1; i >= 0; i--) {
    const c = started[i]!;
    if (found && c.start < found.start) break;
    if (eligible(c)) found = c; // walking back through equal starts, the earlier listed one wins
  }
  return found;
}

/** A binary min-heap of candidates by (duration, order). */
class CandidateHeap {
  private readonly items: Candidate[] = [];

  push(c: Candidate): void {
    const a = this.items;
    a.push(c);
    for (let i = a.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (!less(a[i]!, a[up]!)) break;
      [a[i], a[up]] = [a[up]!, a[i]!];
      i = up;
    }
  }

  /**
   * The shortest candidate running at `start` that `eligible` accepts; when none is, the shortest
   * that ended within the slack before it (a clock a little off). A span that really holds the
   * start beats one that merely ended a moment before it: in a batch, the previous item's call
   * must not adopt the next item. Ended ones are dropped for good (the sweep only moves forward);
   * the others looked at are put back.
   */
  best(start: bigint, eligible: (c: Candidate) => boolean): Candidate | null {
    const aside: Candidate[] = [];
    let found: Candidate | null = null;
    let nearly: Candidate | null = null;
    while (this.items.length > 0) {
      const top = this.items[0]!;
      if (top.end + CROSS_SLACK_NS < start) {
        this.pop();
        continue;
      }
      if (eligible(top)) {
        if (top.end >= start) {
          found = top;
          break;
        }
        nearly ??= top;
      }
      aside.push(this.pop()!);
    }
    for (const c of aside) this.push(c);
    return found ?? nearly;
  }

  private pop(): Candidate | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Candidate, b: Candidate): boolean {
  return a.span.durationMs !== b.span.durationMs ? a.span.durationMs < b.span.durationMs : a.order < b.order;
}
