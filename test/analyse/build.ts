// A small trace builder for analysis tests: spans given in ms offsets, linked and ordered the way
// the assembler does (children by start, depth-first span order), without going through logs.
import type { LogRecord, Span, SpanKind, Trace } from '../../src/types.js';

export const T0 = 1_717_243_200_000_000_000n; // 2024-06-01T12:00:00Z in ns

export interface SpanSpec {
  id: string;
  parent?: string;
  service?: string;
  name?: string;
  /** ms after T0. */
  start: number;
  /** ms. */
  dur: number;
  host?: string;
  kind?: SpanKind;
  error?: string;
  placeholder?: boolean;
  /** Log lines at these ms offsets (defaults to one at the start and one at the end). */
  logsAt?: number[];
}

export function ms(n: number): bigint {
  return T0 + BigInt(Math.round(n * 1e6));
}

export function buildTrace(specs: SpanSpec[], traceId = '4bf92f3577b34da6a3ce929d0e0e4736'): Trace {
  const byId = new Map<string, Span>();
  const spans = specs.map((s) => {
    const service = s.service ?? 'svc';
    const records: LogRecord[] = (s.logsAt ?? [s.start, s.start + s.dur]).map((at, i) => ({
      timeNs: ms(at),
      level: s.error && i > 0 ? 'error' : 'info',
      message: i === 0 ? `${s.name ?? s.id} started` : `${s.name ?? s.id} done`,
      service,
      traceId,
      spanId: s.id,
      parentSpanId: s.parent ?? null,
      durationMs: null,
      error: s.error && i > 0 ? s.error : null,
      spanName: s.name ?? s.id,
      host: s.host ?? null,
      attributes: {},
      origin: `${service}.log`,
      lineNo: i + 1,
    }));
    const span: Span = {
      spanId: s.id,
      parentSpanId: s.parent ?? null,
      service,
      name: s.name ?? s.id,
      startNs: ms(s.start),
      endNs: ms(s.start + s.dur),
      durationMs: s.dur,
      records: s.placeholder ? [] : records,
      error: s.error !== undefined,
      errorMessage: s.error ?? null,
      inferredParent: false,
      placeholder: s.placeholder ?? false,
      host: s.host ?? null,
      kind: s.kind ?? null,
      children: [],
      depth: 0,
      errorOrigin: false,
      skewShiftMs: 0,
      outlivesParent: false,
    };
    byId.set(s.id, span);
    return span;
  });
  const roots: Span[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (parent) parent.children.push(span);
    else roots.push(span);
  }
  const byStart = (a: Span, b: Span) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);
  roots.sort(byStart);
  const ordered: Span[] = [];
  const stack: Array<[Span, number]> = roots.map((r) => [r, 0] as [Span, number]).reverse();
  while (stack.length) {
    const [span, depth] = stack.pop()!;
    span.depth = depth;
    span.children.sort(byStart);
    ordered.push(span);
    for (let i = span.children.length - 1; i >= 0; i--) stack.push([span.children[i]!, depth + 1]);
  }
  let startNs = ordered[0]?.startNs ?? T0;
  let endNs = ordered[0]?.endNs ?? T0;
  for (const s of ordered) {
    if (s.startNs < startNs) startNs = s.startNs;
    if (s.endNs > endNs) endNs = s.endNs;
  }
  const services: string[] = [];
  for (const s of ordered) if (!services.includes(s.service)) services.push(s.service);
  const records = ordered.flatMap((s) => s.records).sort((a, b) => (a.timeNs! < b.timeNs! ? -1 : a.timeNs! > b.timeNs! ? 1 : 0));
  return {
    traceId,
    startNs,
    endNs,
    durationMs: Number(endNs - startNs) / 1e6,
    spans: ordered,
    roots,
    services,
    errorCount: ordered.filter((s) => s.error).length,
    structure: 'parent-ids',
    warnings: [],
    records,
  };
}

/** Span by id, failing loudly so a typo in a test is not a silent pass. */
export function span(trace: Trace, id: string): Span {
  const found = trace.spans.find((s) => s.spanId === id);
  if (!found) throw new Error(`no span ${id} in trace`);
  return found;
}

/** Offset of a span's start from T0, in ms. */
export function startMs(s: Span): number {
  return Number(s.startNs - T0) / 1e6;
}
