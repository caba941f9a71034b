import type { Span, Trace } from '../types.js';

/** Lanes scanned before opening a new one: bounds the work when thousands of spans overlap. */
const MAX_LANES_SCANNED = 64;

/**
 * `show --format chrome`: Chrome trace-event JSON, which Perfetto and chrome://tracing open. One
 * process per service, spans as complete (`X`) events, log lines as instant events. Times are µs
 * from the trace start (the absolute start is in `otherData`). Spans of a service that overlap
 * without nesting go on separate threads, because a thread's X events must nest.
 */
export function toChrome(trace: Trace): object {
  const events: object[] = [];
  const pids = new Map<string, number>();
  const byService = new Map<string, Span[]>();
  for (const span of trace.spans) {
    if (!pids.has(span.service)) {
      const pid = pids.size + 1;
      pids.set(span.service, pid);
      byService.set(span.service, []);
      events.push(
        { ph: 'M', name: 'process_name', pid, tid: 0, args: { name: span.service } },
        { ph: 'M', name: 'process_sort_index', pid, tid: 0, args: { sort_index: pid } },
      );
    }
    byService.get(span.service)!.push(span);
  }
  const us = (ns: bigint): number => Number(ns - trace.startNs) / 1000;
  for (const [service, spans] of byService) {
    const pid = pids.get(service)!;
    const lanes = assignLanes(spans);
    spans.forEach((span, i) => {
      const tid = lanes[i]! + 1;
      events.push({
        name: span.name,
        cat: span.kind ?? 'span',
        ph: 'X',
        ts: us(span.startNs),
        dur: Number(span.endNs - span.startNs) / 1000,
        pid,
        tid,
        args: spanArgs(span),
      });
      for (const r of span.records) {
        const args: Record<string, unknown> = {};
        if (r.level) args.level = r.level;
        if (r.error !== null) args.error = r.error;
        events.push({ name: r.message, cat: 'log', ph: 'i', s: 't', ts: us(r.timeNs ?? span.startNs), pid, tid, args });
      }
    });
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: { traceId: trace.traceId, startUnixNano: trace.startNs.toString(), generator: 'mcp-trace' },
  };
}

function spanArgs(span: Span): Record<string, unknown> {
  const args: Record<string, unknown> = { spanId: span.spanId, parentSpanId: span.parentSpanId };
  if (span.error) args.error = span.errorMessage ?? true;
  if (span.http) args.http = span.http;
  if (span.grpc) args.grpc = span.grpc;
  if (span.inferredParent) args.inferredParent = true;
  if (span.placeholder) args.placeholder = true;
  if (span.skewShiftMs !== 0) args.skewShiftMs = span.skewShiftMs;
  if (span.outlivesParent) args.outlivesParent = true;
  return args;
}

/** A lane per span such that the spans in a lane are nested or disjoint. */
function assignLanes(spans: readonly Span[]): number[] {
  const order = spans.map((_, i) => i);
  order.sort((a, b) => {
    const x = spans[a]!;
    const y = spans[b]!;
    if (x.startNs !== y.startNs) return x.startNs < y.startNs ? -1 : 1;
    return x.endNs > y.endNs ? -1 : x.endNs < y.endNs ? 1 : 0; // the enclosing one first
  });
  const lanes: Span[][] = []; // each lane: a stack of the spans still open in it
  const out = new Array<number>(spans.length);
  for (const i of order) {
    const span = spans[i]!;
    let lane = -1;
    const scan = Math.min(lanes.length, MAX_LANES_SCANNED);
    for (let l = 0; l < scan; l++) {
      const open = lanes[l]!;
      while (open.length > 0 && open[open.length - 1]!.endNs <= span.startNs) open.pop();
      const top = open[open.length - 1];
      if (!top || span.endNs <= top.endNs) {
        lane = l;
        break;
      }
    }
    if (lane < 0) {
      lane = lanes.length;
      lanes.push([]);
    }
    lanes[lane]!.push(span);
    out[i] = lane;
  }
  return out;
}
