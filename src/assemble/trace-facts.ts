// A trace's records folded into span facts as they are read: the one model every command
// builds its spans from. `show` folds the records of one trace (and keeps them for --logs);
// `traces` and `check --all` fold every trace in a source and keep facts only, so memory
// follows the number of spans, never the number of lines.
import type { LogRecord } from '../types.js';
import { widerTraceIds } from '../trace-id.js';
import { addRecord, copySpanFacts, mergeFacts, newSpanFacts, type SpanFacts } from './span-facts.js';

export const UNKNOWN_SERVICE = 'unknown';

/** A run of one service's lines without a span id: a unit of work of trace-id-only logs. */
export interface Visit {
  facts: SpanFacts;
  /** A line with a duration ended it, or the service logged a line with a span id since. */
  closed: boolean;
}

export interface TraceFacts {
  traceId: string;
  /** One entry per span id and service: a B3 shared span id logged by two services has two. */
  spans: SpanFacts[];
  /** Per service, its visits in arrival order; only the last may be open. */
  visits: Map<string, Visit[]> | null;
  recordCount: number;
  /** The trace's records, when the caller keeps them (`show`). */
  records: LogRecord[] | null;
  /** Beyond a few spans, spans are looked up by `${spanId} ${service}`. */
  index: Map<string, SpanFacts> | null;
}

/** A trace has a handful of spans: a short array searched linearly is faster and smaller than a Map. */
const LINEAR_SPANS = 8;

export function newTraceFacts(traceId: string, keepRecords: boolean): TraceFacts {
  return { traceId, spans: [], visits: null, recordCount: 0, records: keepRecords ? [] : null, index: null };
}

/** Adds one record to its trace. `intern` shares repeated strings (services, names) across traces. */
export function addToTrace(trace: TraceFacts, r: LogRecord, intern: (s: string) => string = same): void {
  trace.recordCount++;
  if (trace.records) trace.records.push(r);
  const service = intern(r.service ?? UNKNOWN_SERVICE);
  const keep = trace.records !== null;
  let facts: SpanFacts;
  if (r.spanId) {
    facts = findSpan(trace, r.spanId, service) ?? addSpan(trace, newSpanFacts(r.spanId, service, keep));
    // The service's next line without a span id belongs to a new run.
    const open = trace.visits?.get(service);
    if (open && open.length > 0) open[open.length - 1]!.closed = true;
  } else {
    trace.visits ??= new Map();
    let list = trace.visits.get(service);
    if (!list) trace.visits.set(service, (list = []));
    let visit = list[list.length - 1];
    if (!visit || visit.closed) list.push((visit = { facts: newSpanFacts(`${service}#${list.length + 1}`, service, keep), closed: false }));
    if (r.durationMs !== null) visit.closed = true;
    facts = visit.facts;
  }
  const name = facts.name;
  const parent = facts.loggedParent;
  addRecord(facts, r);
  if (facts.name !== name) facts.name = intern(facts.name);
  if (facts.loggedParent !== parent && facts.loggedParent !== null) facts.loggedParent = spanIdString(trace, facts.loggedParent);
}

/**
 * The parent id as the trace already holds it, when its span was logged first (a request's
 * callers log before it): one string instead of two. Small traces only: it is a linear search.
 */
function spanIdString(trace: TraceFacts, spanId: string): string {
  if (trace.index !== null) return spanId;
  for (const s of trace.spans) if (s.spanId === spanId) return s.spanId;
  return spanId;
}

/** A copy to assemble while `trace` goes on folding (assembly changes the facts it is given). */
export function copyTraceFacts(trace: TraceFacts): TraceFacts {
  const spans = trace.spans.map(copySpanFacts);
  const visits = trace.visits && new Map([...trace.visits].map(([service, list]) => [service, list.map((v) => ({ facts: copySpanFacts(v.facts), closed: v.closed }))]));
  const index = trace.index && new Map(spans.map((s) => [`${s.spanId} ${s.service}`, s]));
  return { traceId: trace.traceId, spans, visits, recordCount: trace.recordCount, records: trace.records && [...trace.records], index };
}

/** Folds `other` (the same trace under another id form, or read later) into `into`. */
export function mergeTraces(into: TraceFacts, other: TraceFacts): void {
  into.recordCount += other.recordCount;
  if (into.records && other.records) for (const r of other.records) into.records.push(r);
  for (const span of other.spans) {
    const own = findSpan(into, span.spanId, span.service);
    if (own) mergeFacts(own, span);
    else addSpan(into, span);
  }
  if (!other.visits) return;
  into.visits ??= new Map();
  for (const [service, list] of other.visits) {
    const own = into.visits.get(service);
    if (!own) {
      into.visits.set(service, list);
      continue;
    }
    for (const visit of list) {
      visit.facts.spanId = `${service}#${own.length + 1}`;
      own.push(visit);
    }
  }
}

function findSpan(trace: TraceFacts, spanId: string, service: string): SpanFacts | undefined {
  if (trace.index !== null) return trace.index.get(`${spanId} ${service}`);
  for (const s of trace.spans) if (s.spanId === spanId && s.service === service) return s;
  return undefined;
}

function addSpan(trace: TraceFacts, span: SpanFacts): SpanFacts {
  // A small trace's spans in an array of exactly their number: a push would reserve 16 more slots.
  const n = trace.spans.length;
  if (n < LINEAR_SPANS) {
    const spans = new Array<SpanFacts>(n + 1);
    for (let i = 0; i < n; i++) spans[i] = trace.spans[i]!;
    spans[n] = span;
    trace.spans = spans;
  } else trace.spans.push(span);
  if (trace.index !== null) trace.index.set(`${span.spanId} ${span.service}`, span);
  else if (trace.spans.length > LINEAR_SPANS) trace.index = new Map(trace.spans.map((s) => [`${s.spanId} ${s.service}`, s]));
  return span;
}

function same(s: string): string {
  return s;
}

/**
 * Every trace of a source, folded as its records arrive. A request's lines mostly come
 * together, so the previous record's trace is tried first.
 */
export class TraceFold {
  private readonly traces = new Map<string, TraceFacts>();
  private last: TraceFacts | null = null;
  private readonly intern = boundedInterner();

  constructor(private readonly keepRecords = false) {}

  get size(): number {
    return this.traces.size;
  }

  add(record: LogRecord): void {
    const traceId = record.traceId;
    if (!traceId) return;
    let trace = this.last;
    if (trace === null || trace.traceId !== traceId) {
      trace = this.traces.get(traceId) ?? null;
      if (trace === null) this.traces.set(traceId, (trace = newTraceFacts(traceId, this.keepRecords)));
      this.last = trace;
    }
    addToTrace(trace, record, this.intern);
  }

  /**
   * The folded traces, in first-seen order. A trace that some services logged under its 64-bit
   * id and others under its 128-bit id is one trace (the 64-bit part is folded in here).
   */
  finish(): TraceFacts[] {
    this.last = null;
    for (const [narrow, wide] of widerTraceIds(this.traces.keys())) {
      mergeTraces(this.traces.get(wide)!, this.traces.get(narrow)!);
      this.traces.delete(narrow);
    }
    return [...this.traces.values()];
  }

  /**
   * The folded traces as finish() gives them, the fold letting go of them: the array is then
   * all that holds them, so a caller that drops each trace once it is used (trace-rows.ts
   * `releasing`) frees the facts while it goes. The fold is empty after.
   */
  take(): TraceFacts[] {
    const traces = this.finish();
    this.traces.clear();
    return traces;
  }
}

/** Bounded string interning: services and recurring names stored once, never a leak. */
export function boundedInterner(limit = 1 << 16): (s: string) => string {
  const seen = new Map<string, string>();
  let lastIn = '';
  let lastOut = '';
  return (s) => {
    if (s === lastIn) return lastOut;
    lastIn = s;
    const known = seen.get(s);
    if (known !== undefined) return (lastOut = known);
    if (seen.size < limit) seen.set(s, s);
    return (lastOut = s);
  };
}
