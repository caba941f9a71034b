// What `ui --follow` holds of the traces it follows: every trace's folded facts (what `traces`
// keeps, so each row is assembled and analysed by the code `show` runs), and the records of the
// most recently active traces only, so that Enter opens those at once while memory stays
// bounded. A trace whose records were let go is read again from the sources when it is opened.
import { analyseTrace, DEFAULT_SKEW } from '../analyse/analyse-trace.js';
import { listTraces, type TraceFilter, type TraceList, type TraceSort } from '../analyse/trace-list.js';
import { traceRow, type TraceRow } from '../analyse/trace-rows.js';
import { assembleFacts } from '../assemble/assemble.js';
import { addToTrace, copyTraceFacts, mergeTraces, newTraceFacts, type TraceFacts } from '../assemble/trace-facts.js';
import { widerTraceIds } from '../trace-id.js';
import type { LogRecord } from '../types.js';

/** How many records are held for Enter: those of at most `traces` traces and `records` records in all. */
export interface RecordCap {
  traces: number;
  records: number;
}

/**
 * The latest 200 traces' records, at most 20 000 records: about 13 MB of heap, whatever is
 * followed (a record with its fields costs 600-650 bytes on examples/ and the corpus).
 */
export const DEFAULT_RECORD_CAP: RecordCap = { traces: 200, records: 20_000 };

/** The source's own times of a trace's lines (Loki's entry timestamps), unix ns. */
export interface SeenRange {
  fromNs: bigint;
  toNs: bigint;
}

interface Followed {
  traceId: string;
  facts: TraceFacts;
  /** Its records while they are held; null once let go, for good (later records would be a part). */
  records: LogRecord[] | null;
  seen: SeenRange | null;
}

export class FollowedTraces {
  private readonly traces = new Map<string, Followed>();
  /** The traces whose records are held, least recently active first (a Map keeps insertion order). */
  private readonly held = new Map<string, Followed>();
  private heldCount = 0;
  private readonly rows = new Map<string, TraceRow>();
  private readonly changed = new Set<Followed>();
  /** A request's lines mostly come together: the previous record's trace is tried first. */
  private last: Followed | null = null;
  /** A trace id not seen before arrived since the last refresh (it may be another's 64-bit form). */
  private newIds = false;

  constructor(readonly cap: RecordCap = DEFAULT_RECORD_CAP) {}

  /** Traces seen so far. */
  get size(): number {
    return this.traces.size;
  }

  /** Traces with a row, as of the last refresh. */
  get rowCount(): number {
    return this.rows.size;
  }

  /** Records held for Enter now (never more than the cap's). */
  get heldRecords(): number {
    return this.heldCount;
  }

  get heldTraces(): number {
    return this.held.size;
  }

  /** Adds a record with a trace id; `seen`: the source's times of the batch it came in, if it has them. */
  add(record: LogRecord, seen: SeenRange | null = null): void {
    const traceId = record.traceId;
    if (!traceId) return;
    let t = this.last;
    if (t === null || t.traceId !== traceId) {
      t = this.traces.get(traceId) ?? null;
      if (t === null) {
        this.traces.set(traceId, (t = { traceId, facts: newTraceFacts(traceId, false), records: [], seen: null }));
        this.held.set(traceId, t);
        this.newIds = true;
      } else if (t.records !== null) {
        // The most recently active trace is the last to be let go.
        this.held.delete(traceId);
        this.held.set(traceId, t);
      }
      this.last = t;
    }
    addToTrace(t.facts, record);
    if (seen) t.seen = t.seen ? { fromNs: min(t.seen.fromNs, seen.fromNs), toNs: max(t.seen.toNs, seen.toNs) } : { ...seen };
    this.changed.add(t);
    if (t.records !== null) {
      t.records.push(record);
      this.heldCount++;
      this.letGo();
    }
  }

  /** Assembles the traces that got records since the last call; false when none did. */
  refresh(): boolean {
    if (this.changed.size === 0) return false;
    if (this.newIds) this.joinIdForms();
    for (const t of this.changed) {
      // Assembly folds a trace's service visits into its facts, so it gets a copy: the facts go
      // on growing, and the next refresh assembles them again.
      this.rows.set(t.traceId, traceRow(analyseTrace(assembleFacts(copyTraceFacts(t.facts)), DEFAULT_SKEW)));
    }
    this.changed.clear();
    return true;
  }

  /** The rows as of the last refresh, filtered, sorted and cut as `traces` does. */
  list(filter: TraceFilter, sort: TraceSort, limit: number): TraceList {
    return listTraces([...this.rows.values()], filter, sort, limit);
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  /** Every record of the trace when they are all held, else null (read it again). */
  records(traceId: string): readonly LogRecord[] | null {
    return this.traces.get(traceId)?.records ?? null;
  }

  /** The source's times of the trace's lines, when the source gave them. */
  seenRange(traceId: string): SeenRange | null {
    return this.traces.get(traceId)?.seen ?? null;
  }

  /**
   * A trace that some services log under its 64-bit id and others under its 128-bit id is one
   * trace, as `traces` lists it: the 64-bit part is folded into the other. Its later lines under
   * the 64-bit id start that part again, folded in at the next refresh.
   */
  private joinIdForms(): void {
    this.newIds = false;
    for (const [narrow, wide] of widerTraceIds(this.traces.keys())) {
      const from = this.traces.get(narrow)!;
      const into = this.traces.get(wide)!;
      mergeTraces(into.facts, from.facts);
      if (from.seen) into.seen = into.seen ? { fromNs: min(into.seen.fromNs, from.seen.fromNs), toNs: max(into.seen.toNs, from.seen.toNs) } : from.seen;
      if (from.records !== null) {
        this.held.delete(narrow);
        if (into.records !== null) into.records.push(...from.records);
        else this.heldCount -= from.records.length;
      } else if (into.records !== null) {
        // Part of it was let go already: all of it is read again when it is opened.
        this.held.delete(wide);
        this.heldCount -= into.records.length;
        into.records = null;
      }
      this.traces.delete(narrow);
      this.rows.delete(narrow);
      this.changed.delete(from);
      this.changed.add(into);
      if (this.last === from) this.last = null;
    }
  }

  /** Lets go of the least recently active traces' records until the held ones fit the cap. */
  private letGo(): void {
    while (this.held.size > this.cap.traces || this.heldCount > this.cap.records) {
      const oldest = this.held.values().next().value!;
      this.held.delete(oldest.traceId);
      this.heldCount -= oldest.records!.length;
      oldest.records = null;
    }
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
