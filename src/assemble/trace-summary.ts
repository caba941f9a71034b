import type { LogRecord } from '../types.js';
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
const NEVER = 0x7fffffffffffffffn;

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
 */
export interface SpanAcc {
  spanId: string;
  service: string;
  parent: string | null;
  /** Earliest and latest record times (NEVER / -1n while no record had a time). */
  firstNs: bigint;
  lastNs: bigint;
  /** The earliest whole-span record (OTLP dump): its start and length. */
  dumpNs: bigint;
  dumpMs: number;
  /** The latest "request completed in X" record. */
  doneNs: bigint;
  doneMs: number;
  error: boolean;
  nameRank: number;
  nameNs: bigint;
  name: string;
  /** Visits only: a duration line closed it, so the service's next line starts a new visit. */
  closed: boolean;
}

/** Per-trace state: spans by id, and service visits for lines without a span id. */
export interface TraceAcc {
  traceId: string;
  /** Key `spanId\nservice`: a span id logged by two services is two spans (B3 shared spans). */
  spans: Map<string, SpanAcc>;
  /** Per service, visits in arrival order; only the last may be open. */
  visits: Map<string, SpanAcc[]>;
  records: number;
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
  private readonly traces = new Map<string, TraceAcc>();

  get size(): number {
    return this.traces.size;
  }

  add(record: LogRecord): void {
    const traceId = record.traceId;
    if (!traceId) return;
    let trace = this.traces.get(traceId);
    if (!trace) this.traces.set(traceId, (trace = { traceId, spans: new Map(), visits: new Map(), records: 0 }));
    trace.records++;
    const service = record.service ?? UNKNOWN_SERVICE;
    let acc: SpanAcc;
    if (record.spanId) {
      const key = `${record.spanId}\n${service}`;
      let span = trace.spans.get(key);
      if (!span) trace.spans.set(key, (span = newAcc(record.spanId, service)));
      acc = span;
      if (acc.parent === null && record.parentSpanId) acc.parent = record.parentSpanId;
    } else {
      let list = trace.visits.get(service);
      if (!list) trace.visits.set(service, (list = []));
      let visit = list[list.length - 1];
      if (!visit || visit.closed) list.push((visit = newAcc(`${service}#${list.length + 1}`, service)));
      acc = visit;
      if (record.durationMs !== null) acc.closed = true;
    }
    addToAcc(acc, record);
  }

  /** Accumulated state, for merging readers that worked on consecutive parts of the input. */
  state(): Map<string, TraceAcc> {
    return this.traces;
  }

  /**
   * Folds in the state of a reader that read the input *after* this one: spans combine, and a
   * service visit still open here continues with the other's first visit of that service.
   */
  merge(later: Map<string, TraceAcc>): void {
    for (const [traceId, other] of later) {
      const mine = this.traces.get(traceId);
      if (!mine) {
        this.traces.set(traceId, other);
        continue;
      }
      mine.records += other.records;
      for (const [key, span] of other.spans) {
        const own = mine.spans.get(key);
        if (own) mergeAcc(own, span);
        else mine.spans.set(key, span);
      }
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
        own.push(...rest);
      }
    }
  }

  /** One summary per trace, in no particular order. */
  summaries(): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (const trace of this.traces.values()) out.push(summarise(trace));
    return out;
  }
}

function newAcc(spanId: string, service: string): SpanAcc {
  return {
    spanId,
    service,
    parent: null,
    firstNs: NEVER,
    lastNs: -1n,
    dumpNs: NEVER,
    dumpMs: 0,
    doneNs: -1n,
    doneMs: 0,
    error: false,
    nameRank: NAME_NONE,
    nameNs: NEVER,
    name: '',
    closed: false,
  };
}

function addToAcc(acc: SpanAcc, r: LogRecord): void {
  const t = r.timeNs;
  if (t !== null) {
    if (t < acc.firstNs) acc.firstNs = t;
    if (t > acc.lastNs) acc.lastNs = t;
    if (r.durationMs !== null) {
      if (r.isSpanRecord) {
        if (t < acc.dumpNs) {
          acc.dumpNs = t;
          acc.dumpMs = r.durationMs;
        }
      } else if (t >= acc.doneNs) {
        acc.doneNs = t;
        acc.doneMs = r.durationMs;
      }
    }
  }
  if (!acc.error && recordErrorReason(r) !== null) acc.error = true;
  const [rank, name] = nameOf(r);
  const at = t ?? NEVER;
  if (rank < acc.nameRank || (rank === acc.nameRank && rank < NAME_NONE && at < acc.nameNs)) {
    acc.nameRank = rank;
    acc.nameNs = at;
    acc.name = name;
  }
}

function nameOf(r: LogRecord): [number, string] {
  if (r.spanName) return [NAME_SPAN, r.spanName];
  if (r.grpc?.method) return [NAME_GRPC, r.grpc.service ? `${r.grpc.service}/${r.grpc.method}` : r.grpc.method];
  if (r.http?.method && r.http.route) return [NAME_HTTP, `${r.http.method} ${r.http.route}`];
  if (r.http?.route) return [NAME_ROUTE, r.http.route];
  if (r.message) return [NAME_MESSAGE, r.message];
  return [NAME_NONE, ''];
}

function mergeAcc(into: SpanAcc, from: SpanAcc): void {
  if (into.parent === null) into.parent = from.parent;
  if (from.firstNs < into.firstNs) into.firstNs = from.firstNs;
  if (from.lastNs > into.lastNs) into.lastNs = from.lastNs;
  if (from.dumpNs < into.dumpNs) {
    into.dumpNs = from.dumpNs;
    into.dumpMs = from.dumpMs;
  }
  if (from.doneNs >= into.doneNs && from.doneNs >= 0n) {
    into.doneNs = from.doneNs;
    into.doneMs = from.doneMs;
  }
  into.error ||= from.error;
  if (from.nameRank < into.nameRank || (from.nameRank === into.nameRank && from.nameNs < into.nameNs)) {
    into.nameRank = from.nameRank;
    into.nameNs = from.nameNs;
    into.name = from.name;
  }
}

interface Node {
  acc: SpanAcc | null;
  service: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  timed: boolean;
  children: Node[];
}

function summarise(trace: TraceAcc): TraceSummary {
  const byId = new Map<string, Node>();
  const nodes: Node[] = [];
  const owners = new Map<string, Node>();
  const spanServices = new Set<string>();
  for (const acc of trace.spans.values()) {
    spanServices.add(acc.service);
    const node = nodeOf(acc);
    nodes.push(node);
    // A span id logged by two services: the one that logged first owns it, the other is its child.
    const owner = owners.get(acc.spanId);
    if (!owner || node.startNs < owner.startNs) owners.set(acc.spanId, node);
  }
  for (const [id, node] of owners) byId.set(id, node);
  // Lines without span ids from a service that has spans belong to those spans (see class doc).
  for (const [service, list] of trace.visits) if (!spanServices.has(service)) for (const acc of list) nodes.push(nodeOf(acc));

  const roots: Node[] = [];
  const placeholders = new Map<string, Node>();
  /** Logged spans that hang under nothing logged: roots and children of placeholders. */
  const topmost = new Set<Node>();
  for (const node of nodes) {
    const acc = node.acc!;
    const owner = byId.get(acc.spanId);
    let parent: Node | undefined;
    if (owner && owner !== node && trace.spans.has(`${acc.spanId}\n${acc.service}`)) parent = owner;
    else if (acc.parent !== null && acc.parent !== acc.spanId) {
      parent = byId.get(acc.parent) ?? placeholders.get(acc.parent);
      if (!parent) {
        parent = { acc: null, service: UNKNOWN_SERVICE, name: '(not logged)', startNs: node.startNs, endNs: node.endNs, timed: false, children: [] };
        placeholders.set(acc.parent, parent);
        roots.push(parent);
      }
    }
    if (parent) {
      parent.children.push(node);
      if (parent.acc === null) {
        if (node.startNs < parent.startNs) parent.startNs = node.startNs;
        if (node.endNs > parent.endNs) parent.endNs = node.endNs;
        topmost.add(node);
      }
    } else {
      roots.push(node);
      topmost.add(node);
    }
  }

  let startNs = NEVER;
  let endNs = -1n;
  let errors = 0;
  for (const node of nodes) {
    if (node.acc!.error) errors++;
    if (!node.timed) continue;
    if (node.startNs < startNs) startNs = node.startNs;
    if (node.endNs > endNs) endNs = node.endNs;
  }
  if (endNs < 0n) startNs = endNs = 0n;

  const order = treeOrder(roots);
  const services: string[] = [];
  for (const node of order) if (node.acc && !services.includes(node.service)) services.push(node.service);
  // The root to show: the earliest logged span that hangs under nothing logged.
  let root: Node | null = null;
  for (const node of topmost) if (node.timed && (root === null || node.startNs < root.startNs)) root = node;
  root ??= order.find((n) => n.acc !== null) ?? null;

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
  const timed = acc.lastNs >= 0n;
  let startNs = timed ? acc.firstNs : 0n;
  let endNs = timed ? acc.lastNs : 0n;
  if (acc.dumpNs !== NEVER) {
    startNs = acc.dumpNs;
    const end = startNs + msToNs(acc.dumpMs);
    if (end > endNs) endNs = end;
  } else if (acc.doneNs >= 0n) {
    const reported = acc.doneNs - msToNs(acc.doneMs);
    if (reported < startNs) startNs = reported;
    if (acc.doneNs > endNs) endNs = acc.doneNs;
  }
  return { acc, service: acc.service, name: acc.name, startNs, endNs, timed, children: [] };
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
  return a.startNs > b.startNs ? -1 : a.startNs < b.startNs ? 1 : 0;
}

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}
