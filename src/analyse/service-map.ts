// Who calls whom: caller service → callee service edges and per-service figures, aggregated over
// any number of traces from the same assembled trees `show` draws. Only aggregates and latency
// sketches are kept (DDSketch, 1% relative accuracy), never spans, so memory follows the number
// of services and edges, not of traces.
import { DDSketch } from '@datadog/sketches-js';
import { assembleFacts } from '../assemble/assemble.js';
import type { TraceFacts } from '../assemble/trace-facts.js';
import type { Span, Trace } from '../types.js';
import { analyseTrace } from './analyse-trace.js';
import { passesFilter, type TraceFilter } from './trace-list.js';
import { selfTimeMs } from './self-time.js';

/** Quantiles are within this relative error of the exact value (the sketch's guarantee). */
export const SKETCH_RELATIVE_ACCURACY = 0.01;
/** Distinct operation names kept per edge; the rest are counted. */
const OPERATIONS_KEPT = 12;

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

export interface MapEdge {
  caller: string;
  callee: string;
  /** Callee spans under a caller span of another service. */
  calls: number;
  /** Of them, edges that were inferred (no logged parent id): counted apart, they are guesses. */
  inferred: number;
  errors: number;
  errorRate: number;
  latencyMs: Latency;
  /** The callee's operations seen on this edge, most frequent first. */
  operations: string[];
  /** Operations beyond the ones listed. */
  moreOperations: number;
}

export interface MapService {
  service: string;
  spans: number;
  errors: number;
  errorRate: number;
  /** Total self time (a span's duration minus the union of its children), ms. */
  selfMs: number;
  /** How deep the service first sits in a call chain: 0 for services that start traces. */
  depth: number;
}

export interface ServiceMap {
  traces: number;
  services: MapService[];
  edges: MapEdge[];
}

interface EdgeAcc {
  calls: number;
  inferred: number;
  errors: number;
  sketch: DDSketch;
  operations: Map<string, number>;
  moreOperations: number;
}

interface ServiceAcc {
  spans: number;
  errors: number;
  selfMs: number;
  depth: number;
}

/**
 * The map of folded traces that pass `filter`: each is assembled and analysed as `show` would,
 * added to the aggregates and dropped (`map` and MCP's get_service_map).
 */
export function serviceMapOf(traces: Iterable<TraceFacts>, filter: TraceFilter): ServiceMap {
  const builder = new ServiceMapBuilder();
  for (const facts of traces) {
    const trace = analyseTrace(assembleFacts(facts));
    if (passesFilter(trace, filter)) builder.add(trace);
  }
  return builder.result();
}

export class ServiceMapBuilder {
  private readonly edges = new Map<string, EdgeAcc>();
  private readonly services = new Map<string, ServiceAcc>();
  private traces = 0;

  /** Adds one assembled (and analysed) trace; nothing of it is kept. */
  add(trace: Trace): void {
    this.traces++;
    const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
    const serviceDepth = new Map<Span, number>();
    for (const span of trace.spans) {
      if (span.placeholder) continue;
      const parent = callerOf(span, byId);
      // Depth in services, not spans: a span under a span of its own service keeps its depth.
      const depth = parent === null ? 0 : (serviceDepth.get(parent) ?? 0) + (parent.service === span.service ? 0 : 1);
      serviceDepth.set(span, depth);
      const svc = this.service(span.service, depth);
      svc.spans++;
      if (span.error) svc.errors++;
      svc.selfMs += selfTimeMs(span);
      if (parent === null || parent.service === span.service) continue;
      const edge = this.edge(parent.service, span.service);
      edge.calls++;
      if (span.inferredParent) edge.inferred++;
      if (span.error) edge.errors++;
      edge.sketch.accept(Math.max(span.durationMs, 0));
      const seen = edge.operations.get(span.name);
      if (seen !== undefined) edge.operations.set(span.name, seen + 1);
      else if (edge.operations.size < OPERATIONS_KEPT) edge.operations.set(span.name, 1);
      else edge.moreOperations++;
    }
  }

  result(): ServiceMap {
    const services = [...this.services].map(([service, s]) => ({
      service,
      spans: s.spans,
      errors: s.errors,
      errorRate: s.spans === 0 ? 0 : s.errors / s.spans,
      selfMs: s.selfMs,
      depth: s.depth,
    }));
    services.sort((a, b) => a.depth - b.depth || b.spans - a.spans || (a.service < b.service ? -1 : 1));
    const order = new Map(services.map((s, i) => [s.service, i]));
    const edges = [...this.edges].map(([key, e]) => {
      const [caller, callee] = key.split('\u0000') as [string, string];
      return {
        caller,
        callee,
        calls: e.calls,
        inferred: e.inferred,
        errors: e.errors,
        errorRate: e.errors / e.calls,
        latencyMs: { p50: quantile(e.sketch, 0.5), p95: quantile(e.sketch, 0.95), p99: quantile(e.sketch, 0.99) },
        operations: [...e.operations].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name),
        moreOperations: e.moreOperations,
      };
    });
    edges.sort((a, b) => order.get(a.caller)! - order.get(b.caller)! || order.get(a.callee)! - order.get(b.callee)!);
    return { traces: this.traces, services, edges };
  }

  private service(name: string, depth: number): ServiceAcc {
    let s = this.services.get(name);
    if (!s) this.services.set(name, (s = { spans: 0, errors: 0, selfMs: 0, depth }));
    else if (depth < s.depth) s.depth = depth;
    return s;
  }

  private edge(caller: string, callee: string): EdgeAcc {
    const key = `${caller}\u0000${callee}`;
    let e = this.edges.get(key);
    if (!e) {
      e = { calls: 0, inferred: 0, errors: 0, sketch: new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY }), operations: new Map(), moreOperations: 0 };
      this.edges.set(key, e);
    }
    return e;
  }
}

/** The span's caller: its parent, skipping never-logged placeholders. */
function callerOf(span: Span, byId: ReadonlyMap<string, Span>): Span | null {
  let p = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
  for (let guard = 0; p && p.placeholder && guard < 1000; guard++) p = p.parentSpanId === null ? undefined : byId.get(p.parentSpanId);
  return p && !p.placeholder ? p : null;
}

function quantile(sketch: DDSketch, q: number): number {
  return Math.round(sketch.getValueAtQuantile(q) * 1000) / 1000;
}
