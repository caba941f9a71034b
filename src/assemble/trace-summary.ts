import type { LogRecord } from '../types.js';
import { widerTraceIds } from '../trace-id.js';
import { recordErrorReason } from './span-errors.js';

/** One row of `traces`: what assembleTrace would say about a trace, without keeping its records. */
export interface TraceSummary {
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  /** Spans as `show` counts them: logged spans, service visits and never-logged parents. */
  spanCount: number;
  /** In tree order (depth-first, children by start), like Trace.services. */
  services: string[];
  errorCount: number;
  /** The earliest logged root span; null when no span has a time. */
  rootService: string | null;
  rootName: string | null;
  /** Records (not lines) that carried the trace id. */
  recordCount: number;
}

const UNKNOWN_SERVICE = 'unknown';

// Name sources in spanName()'s order of preference (assemble/spans.ts): the best rank wins,
// then the earliest record, which is what "the first record that has one" means in time order.
const NAME_SPAN = 0;
const NAME_GRPC = 1;
const NAME_HTTP = 2;
const NAME_ROUTE = 3;
const NAME_MESSAGE = 4;
const NAME_NONE = 5;

/**
 * A span reduced to what a summary needs: interval, error flag, best name so far. Every field
 * merges with min/max/or/best, so partial accumulators from different readers can be combined.
 *
 * Times are nanoseconds after the summaries' base time, as doubles: exact for logs spanning
 * up to 104 days, and a fraction of the memory of BigInts (this object exists once per span).
 */
export interface SpanAcc {
  spanId: string;
  service: string;
  parent: string | null;
  /** Earliest and latest record times (Infinity / -Infinity while no record had a time). */
  first: number;
  last: number;
  /** The earliest whole-span record (OTLP dump): its start and length in ms. */
  dumpAt: number;
  dumpMs: number;
  /** The latest "request completed in X" record. */
  doneAt: number;
  doneMs: number;
  error: boolean;
  nameRank: number;
  nameAt: number;
  name: string;
  /** Visits only: a duration line closed it, so the service's next line starts a new visit. */
  closed: boolean;
  /** The same span id logged by another service (a B3 shared span): its own span. */
  other: SpanAcc | null;
  /**
   * The first few error lines' times and text (message and error field), for the silent-failure
   * rule (assemble/silent-spans.ts): a child that went quiet before an error naming its service.
   */
  errorLines: Array<{ at: number; text: string }> | null;
}

/** Error lines kept per span for the silent-failure rule; callers log one or two. */
const ERROR_LINES_KEPT = 4;

/** Per-trace state: spans by id, and service visits for lines without a span id. */
export interface TraceAcc {
  traceId: string;
  /**
   * Span heads (one per span id) in first-seen order. A trace has a handful of spans, so a short
   * array searched linearly is both faster and far smaller than a Map per trace; `index` takes
   * over for the rare trace with many spans.
   */
  spans: SpanAcc[];
  index: Map<string, SpanAcc> | null;
  /** Per service, visits in arrival order; only the last may be open. Null until needed. */
  visits: Map<string, SpanAcc[]> | null;
  records: number;
}

/** What one reader accumulated; merge() takes it from a reader of a later part of the input. */
export interface SummariesState {
  baseNs: bigint | null;
  traces: Map<string, TraceAcc>;
}

/**
 * Streaming per-trace summaries for `traces`: add records as they are read, in any number, and
 * ask for the rows at the end. Memory grows with traces (and their spans), never with lines.
 *
 * It follows assembleTrace's rules for intervals, names, errors and placeholders. Two shortcuts
 * keep it streaming, and both only matter for unusual logs: lines without a span id from a
 * service that logs span ids count as part of that service's spans (assembly attaches them when
 * they fall inside one), and service visits are cut in arrival order, which is time order for
 * one service's log. Parents are not inferred from timing, so for span-id-only logs the root is
 * the earliest span, which is what inference picks in practice.
 */
export class TraceSummaries {
  private traces = new Map<string, TraceAcc>();
  /** The trace of the previous record: a request's lines mostly come together. */
  private last: TraceAcc | null = null;
  private baseNs: bigint | null = null;
  /** Services and span names repeat across traces: one copy each instead of one per span. */
  private readonly intern = new Interner();

  get size(): number {
    return this.traces.size;
  }

  add(record: LogRecord): void {
    const traceId = record.traceId;
    if (!traceId) return;
    let trace = this.last;
    if (trace === null || trace.traceId !== traceId) {
      trace = this.traces.get(traceId) ?? null;
      if (trace === null) this.traces.set(traceId, (trace = newTrace(traceId)));
      this.last = trace;
    }
    trace.records++;
    const service = this.intern.get(record.service ?? UNKNOWN_SERVICE);
    let acc: SpanAcc;
    if (record.spanId) {
      let span = findSpan(trace, record.spanId);
      if (!span) addSpan(trace, (span = newAcc(record.spanId, service)));
      while (span.service !== service) span = span.other ??= newAcc(record.spanId, service);
      acc = span;
      if (acc.parent === null && record.parentSpanId) acc.parent = record.parentSpanId;
    } else {
      trace.visits ??= new Map();
      let list = trace.visits.get(service);
      if (!list) trace.visits.set(service, (list = []));
      let visit = list[list.length - 1];
      if (!visit || visit.closed) list.push((visit = newAcc(`${service}#${list.length + 1}`, service)));
      acc = visit;
      if (record.durationMs !== null) acc.closed = true;
    }
    let at = Infinity;
    if (record.timeNs !== null) {
      this.baseNs ??= record.timeNs;
      at = Number(record.timeNs - this.baseNs);
    }
    addToAcc(acc, record, at, this.intern);
  }

  /** Accumulated state, for merging readers that worked on consecutive parts of the input. */
  state(): SummariesState {
    return { baseNs: this.baseNs, traces: this.traces };
  }

  /**
   * Folds in the state of a reader that read the input *after* this one: spans combine, and a
   * service visit still open here continues with the other's first visit of that service.
   */
  merge(later: SummariesState): void {
    if (later.baseNs !== null && this.baseNs !== null && later.baseNs !== this.baseNs) {
      const shift = Number(later.baseNs - this.baseNs);
      for (const trace of later.traces.values()) forEachAcc(trace, (acc) => shiftAcc(acc, shift));
    }
    this.baseNs ??= later.baseNs;
    for (const [traceId, other] of later.traces) {
      const mine = this.traces.get(traceId);
      if (mine) mergeTrace(mine, other);
      else this.traces.set(traceId, other);
    }
  }

  /**
   * One summary per trace, in no particular order. A trace that some services logged under its
   * 64-bit id and others under its 128-bit id is one row (the 64-bit part is folded in here).
   */
  summaries(): TraceSummary[] {
    this.last = null;
    for (const [narrow, wide] of widerTraceIds(this.traces.keys())) {
      mergeTrace(this.traces.get(wide)!, this.traces.get(narrow)!);
      this.traces.delete(narrow);
    }
    const out: TraceSummary[] = [];
    const base = this.baseNs ?? 0n;
    for (const trace of this.traces.values()) out.push(summarise(trace, base));
    return out;
  }
}

/** Beyond this many spans a trace looks its spans up in a Map. */
const LINEAR_SPANS = 8;

function newTrace(traceId: string): TraceAcc {
  return { traceId, spans: [], index: null, visits: null, records: 0 };
}

function findSpan(trace: TraceAcc, spanId: string): SpanAcc | undefined {
  if (trace.index !== null) return trace.index.get(spanId);
  const spans = trace.spans;
  for (let i = 0; i < spans.length; i++) if (spans[i]!.spanId === spanId) return spans[i];
  return undefined;
}

/** Adds a span head for an id not in the trace yet. */
export function addSpan(trace: TraceAcc, span: SpanAcc): void {
  trace.spans.push(span);
  if (trace.index !== null) trace.index.set(span.spanId, span);
  else if (trace.spans.length > LINEAR_SPANS) trace.index = new Map(trace.spans.map((s) => [s.spanId, s]));
}

export { newTrace };

/** Bounded string interning: enough for services and recurring span names, never a leak. */
class Interner {
  private readonly seen = new Map<string, string>();
  /** The last answer: consecutive records mostly repeat the service, so most calls stop here. */
  private lastIn = '';
  private lastOut = '';
  constructor(private readonly limit = 1 << 16) {}
  get(s: string): string {
    if (s === this.lastIn) return this.lastOut;
    this.lastIn = s;
    this.lastOut = this.lookup(s);
    return this.lastOut;
  }
  private lookup(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    if (this.seen.size < this.limit) this.seen.set(s, s);
    return s;
  }
}

function newAcc(spanId: string, service: string): SpanAcc {
  return {
    spanId,
    service,
    parent: null,
    first: Infinity,
    last: -Infinity,
    dumpAt: Infinity,
    dumpMs: 0,
    doneAt: -Infinity,
    doneMs: 0,
    error: false,
    nameRank: NAME_NONE,
    nameAt: Infinity,
    name: '',
    closed: false,
    other: null,
    errorLines: null,
  };
}

function addToAcc(acc: SpanAcc, r: LogRecord, at: number, intern: Interner): void {
  if (at !== Infinity) {
    if (at < acc.first) acc.first = at;
    if (at > acc.last) acc.last = at;
    if (r.durationMs !== null) {
      if (r.isSpanRecord) {
        if (at < acc.dumpAt) {
          acc.dumpAt = at;
          acc.dumpMs = r.durationMs;
        }
      } else if (at >= acc.doneAt) {
        acc.doneAt = at;
        acc.doneMs = r.durationMs;
      }
    }
  }
  if (recordErrorReason(r) !== null) {
    acc.error = true;
    const lines = (acc.errorLines ??= []);
    if (lines.length < ERROR_LINES_KEPT) lines.push({ at, text: r.error ? `${r.message}\n${r.error}` : r.message });
  }
  if (acc.nameRank === NAME_SPAN && at >= acc.nameAt) return;
  const rank = nameRank(r);
  if (rank < acc.nameRank || (rank === acc.nameRank && rank < NAME_NONE && at < acc.nameAt)) {
    acc.nameRank = rank;
    acc.nameAt = at;
    acc.name = intern.get(nameFor(r, rank));
  }
}

function nameRank(r: LogRecord): number {
  if (r.spanName) return NAME_SPAN;
  if (r.grpc?.method) return NAME_GRPC;
  if (r.http?.route) return r.http.method ? NAME_HTTP : NAME_ROUTE;
  return r.message ? NAME_MESSAGE : NAME_NONE;
}

function nameFor(r: LogRecord, rank: number): string {
  switch (rank) {
    case NAME_SPAN:
      return r.spanName!;
    case NAME_GRPC:
      return r.grpc!.service ? `${r.grpc!.service}/${r.grpc!.method}` : r.grpc!.method!;
    case NAME_HTTP:
      return `${r.http!.method} ${r.http!.route}`;
    case NAME_ROUTE:
      return r.http!.route!;
    default:
      return r.message;
  }
}

/** Folds `other` (the same trace, read later or logged under another id form) into `mine`. */
function mergeTrace(mine: TraceAcc, other: TraceAcc): void {
  mine.records += other.records;
  for (const span of other.spans) {
    const own = findSpan(mine, span.spanId);
    if (!own) addSpan(mine, span);
    else for (let s: SpanAcc | null = span; s; s = s.other) mergeInto(own, s);
  }
  if (!other.visits) return;
  mine.visits ??= new Map();
  for (const [service, list] of other.visits) {
    const own = mine.visits.get(service);
    if (!own) {
      mine.visits.set(service, list);
      continue;
    }
    const last = own[own.length - 1]!;
    let rest = list;
    if (!last.closed && list.length > 0) {
      mergeAcc(last, list[0]!);
      last.closed = list[0]!.closed;
      rest = list.slice(1);
    }
    for (const visit of rest) {
      visit.spanId = `${service}#${own.length + 1}`;
      own.push(visit);
    }
  }
}

/** Merges a later reader's accumulator for the same span id into the chain for its service. */
function mergeInto(head: SpanAcc, from: SpanAcc): void {
  let own = head;
  while (own.service !== from.service && own.other) own = own.other;
  if (own.service === from.service) mergeAcc(own, from);
  else own.other = { ...from, other: null };
}

function mergeAcc(into: SpanAcc, from: SpanAcc): void {
  if (into.parent === null) into.parent = from.parent;
  if (from.first < into.first) into.first = from.first;
  if (from.last > into.last) into.last = from.last;
  if (from.dumpAt < into.dumpAt) {
    into.dumpAt = from.dumpAt;
    into.dumpMs = from.dumpMs;
  }
  if (from.doneAt >= into.doneAt && from.doneAt !== -Infinity) {
    into.doneAt = from.doneAt;
    into.doneMs = from.doneMs;
  }
  into.error ||= from.error;
  if (from.errorLines) {
    const lines = (into.errorLines ??= []);
    for (const line of from.errorLines) if (lines.length < ERROR_LINES_KEPT) lines.push(line);
  }
  if (from.nameRank < into.nameRank || (from.nameRank === into.nameRank && from.nameAt < into.nameAt)) {
    into.nameRank = from.nameRank;
    into.nameAt = from.nameAt;
    into.name = from.name;
  }
}

function forEachAcc(trace: TraceAcc, fn: (acc: SpanAcc) => void): void {
  for (const head of trace.spans) for (let s: SpanAcc | null = head; s; s = s.other) fn(s);
  if (trace.visits) for (const list of trace.visits.values()) list.forEach(fn);
}

function shiftAcc(acc: SpanAcc, shift: number): void {
  acc.first += shift;
  acc.last += shift;
  acc.dumpAt += shift;
  acc.doneAt += shift;
  acc.nameAt += shift;
  if (acc.errorLines) for (const line of acc.errorLines) line.at += shift;
}

interface Node {
  acc: SpanAcc | null;
  error: boolean;
  service: string;
  name: string;
  start: number;
  end: number;
  timed: boolean;
  children: Node[];
}

function summarise(trace: TraceAcc, baseNs: bigint): TraceSummary {
  const owners = new Map<string, Node>();
  const nodes: Node[] = [];
  const spanServices = new Set<string>();
  /** Second services of a shared span id, and the owner they hang under. */
  const halves: Array<[Node, string]> = [];
  for (const head of trace.spans) {
    // A span id logged by two services: the one that logged first owns it, the other is its child.
    const chain: Node[] = [];
    for (let s: SpanAcc | null = head; s; s = s.other) {
      spanServices.add(s.service);
      chain.push(nodeOf(s));
    }
    const owner = chain.reduce((a, b) => (b.acc!.first < a.acc!.first ? b : a));
    owners.set(head.spanId, owner);
    for (const node of chain) {
      nodes.push(node);
      if (node !== owner) halves.push([node, head.spanId]);
    }
  }
  // Lines without span ids from a service that has spans belong to those spans (see class doc).
  if (trace.visits) for (const [service, list] of trace.visits) if (!spanServices.has(service)) for (const acc of list) nodes.push(nodeOf(acc));

  const halfOf = new Map(halves);
  const roots: Node[] = [];
  const placeholders = new Map<string, Node>();
  /** Logged spans that hang under nothing logged: roots and children of placeholders. */
  const topmost: Node[] = [];
  const parentOf = new Map<Node, Node>();
  for (const node of nodes) {
    const acc = node.acc!;
    let parent: Node | undefined;
    const ownerId = halfOf.get(node);
    if (ownerId !== undefined) parent = owners.get(ownerId);
    else if (acc.parent !== null && acc.parent !== acc.spanId) {
      parent = owners.get(acc.parent) ?? placeholders.get(acc.parent);
      if (!parent) {
        parent = { acc: null, error: false, service: UNKNOWN_SERVICE, name: '(not logged)', start: node.start, end: node.end, timed: node.timed, children: [] };
        placeholders.set(acc.parent, parent);
        roots.push(parent);
      }
    }
    if (parent) {
      parentOf.set(node, parent);
      parent.children.push(node);
      if (parent.acc === null) {
        if (node.start < parent.start) parent.start = node.start;
        if (node.end > parent.end) parent.end = node.end;
        topmost.push(node);
      }
    } else {
      roots.push(node);
      topmost.push(node);
    }
  }

  markSilentFailures(nodes, parentOf);

  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  for (const node of nodes) {
    if (node.error) errors++;
    if (!node.timed) continue;
    if (node.start < start) start = node.start;
    if (node.end > end) end = node.end;
  }

  const order = treeOrder(roots);
  const services: string[] = [];
  for (const node of order) if (node.acc && !services.includes(node.service)) services.push(node.service);
  // The root to show: the earliest logged span that hangs under nothing logged.
  let root: Node | null = null;
  for (const node of topmost) if (node.timed && (root === null || node.start < root.start)) root = node;
  root ??= order.find((n) => n.acc !== null) ?? null;

  const timed = end !== -Infinity;
  const startNs = timed ? baseNs + BigInt(Math.round(start)) : 0n;
  const endNs = timed ? baseNs + BigInt(Math.round(end)) : 0n;
  return {
    traceId: trace.traceId,
    startNs,
    endNs,
    durationMs: Number(endNs - startNs) / 1e6,
    spanCount: nodes.length + placeholders.size,
    services,
    errorCount: errors,
    rootService: root?.service ?? null,
    rootName: root ? root.name || '(no message)' : null,
    recordCount: trace.records,
  };
}

function nodeOf(acc: SpanAcc): Node {
  const timed = acc.last !== -Infinity;
  let start = timed ? acc.first : 0;
  let end = timed ? acc.last : 0;
  if (acc.dumpAt !== Infinity) {
    start = acc.dumpAt;
    end = Math.max(end, start + Math.round(acc.dumpMs * 1e6));
  } else if (acc.doneAt !== -Infinity) {
    start = Math.min(start, acc.doneAt - Math.round(acc.doneMs * 1e6));
    end = Math.max(end, acc.doneAt);
  }
  return { acc, error: acc.error, service: acc.service, name: acc.name, start, end, timed, children: [] };
}

/**
 * assemble/silent-spans.ts on summaries: a span that logged no end and went quiet before its
 * caller (another service) logged an error naming it failed too, e.g. a panic or an OOM kill.
 * Only the error lines' message and error text are searched for the name (not other fields).
 */
function markSilentFailures(nodes: readonly Node[], parentOf: ReadonlyMap<Node, Node>): void {
  for (const node of nodes) {
    const acc = node.acc!;
    if (node.error || acc.dumpAt !== Infinity || acc.doneAt !== -Infinity || acc.last === -Infinity) continue;
    const parent = parentOf.get(node);
    if (!parent?.acc?.error || parent.service === node.service) continue;
    if (parent.acc.errorLines?.some((l) => l.at !== Infinity && l.at > acc.last && l.text.includes(node.service))) node.error = true;
  }
}

/** Depth-first, children by start; iterative so deep traces cannot overflow the stack. */
function treeOrder(roots: Node[]): Node[] {
  const out: Node[] = [];
  const seen = new Set<Node>();
  const stack = [...roots].sort(byStartDesc);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    out.push(node);
    if (node.children.length > 0) stack.push(...[...node.children].sort(byStartDesc));
  }
  return out;
}

function byStartDesc(a: Node, b: Node): number {
  return b.start - a.start;
}
