import type { Level, LogRecord, ScanStats, Span, SpanKind, Structure, Trace } from '../../src/types.js';
import { emptyEvidence } from '../../src/assemble/spans.js';

/**
 * Hand-made traces for tests, written as a flat list of spans with times in milliseconds from
 * the trace start. The builder fills in what assembly would: tree order, depth, children,
 * services, error count, records. Analysis flags (errorOrigin, skew, outlives) are taken as given.
 */

/** 2024-11-01T12:00:00.000Z in unix ns: a fixed base so rendered times are stable. */
export const BASE_NS = 1_730_462_400_000_000_000n;

export interface LogSpec {
  /** Milliseconds from the trace base. */
  at: number;
  level?: Level | null;
  message: string;
  error?: string;
  durationMs?: number;
  status?: number;
  attributes?: Record<string, unknown>;
}

export interface SpanSpec {
  id: string;
  parent?: string | null;
  service: string;
  name?: string;
  /** Milliseconds from the trace base. */
  start: number;
  duration: number;
  /** An error message, or true for an error without one. */
  error?: string | true;
  inferred?: boolean;
  placeholder?: boolean;
  errorOrigin?: boolean;
  skewShiftMs?: number;
  outlivesParent?: boolean;
  host?: string;
  kind?: SpanKind;
  logs?: LogSpec[];
}

export interface TraceSpec {
  traceId?: string;
  spans: SpanSpec[];
  warnings?: string[];
  structure?: Structure;
}

export function msToNs(ms: number): bigint {
  return BASE_NS + BigInt(Math.round(ms * 1e6));
}

/** A LogRecord with every field defaulted; override what the test cares about. */
export function makeRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeNs: BASE_NS,
    level: 'info',
    message: '',
    service: null,
    traceId: null,
    spanId: null,
    parentSpanId: null,
    durationMs: null,
    error: null,
    spanName: null,
    host: null,
    attributes: {},
    origin: 'test.log',
    lineNo: 1,
    ...overrides,
  };
}

export function makeStats(overrides: Partial<ScanStats> = {}): ScanStats {
  return { linesRead: 0, linesMatched: 0, malformedLines: 0, bytesRead: 0, ...overrides };
}

export function makeTrace(spec: TraceSpec): Trace {
  const traceId = spec.traceId ?? '4bf92f3577b34da6a3ce929d0e0e4736';
  let lineNo = 0;
  const spans = spec.spans.map((s): Span => {
    const startNs = msToNs(s.start);
    const records = (s.logs ?? []).map((log) =>
      makeRecord({
        timeNs: msToNs(log.at),
        level: log.level === undefined ? 'info' : log.level,
        message: log.message,
        service: s.service,
        traceId,
        spanId: s.id,
        parentSpanId: s.inferred ? null : (s.parent ?? null),
        durationMs: log.durationMs ?? null,
        error: log.error ?? null,
        spanName: s.name ?? null,
        http: log.status !== undefined ? { status: log.status } : undefined,
        attributes: log.attributes ?? {},
        origin: `${s.service}.log`,
        lineNo: ++lineNo,
      }),
    );
    return {
      spanId: s.id,
      parentSpanId: s.parent ?? null,
      service: s.service,
      name: s.name ?? s.id,
      startNs,
      endNs: startNs + BigInt(Math.round(s.duration * 1e6)),
      durationMs: s.duration,
      records,
      evidence: emptyEvidence(),
      lineCount: records.length,
      // As the fold keeps it: the latest line that says (assemble/span-facts.ts).
      status: [...records].reverse().map((r) => (r.http?.status !== undefined ? { kind: 'http' as const, status: r.http.status } : null)).find((x) => x !== null) ?? undefined,
      error: s.error !== undefined,
      errorMessage: typeof s.error === 'string' ? s.error : null,
      inferredParent: s.inferred ?? false,
      inferredBy: s.inferred ? "containment" : null,
      clockOffsetMs: 0,
      warning: false,
      placeholder: s.placeholder ?? false,
      host: s.host ?? null,
      kind: s.kind ?? null,
      children: [],
      depth: 0,
      errorOrigin: s.errorOrigin ?? false,
      skewShiftMs: s.skewShiftMs ?? 0,
      outlivesParent: s.outlivesParent ?? false,
    };
  });

  return linkTrace(traceId, spans, { structure: spec.structure, warnings: spec.warnings });
}

/**
 * Links hand-made spans by their parent ids and finishes the Trace around them: children by
 * start, depth-first order (an explicit stack, like the real assembler), start/end, services,
 * records. Shared by every test builder so they agree on what a Trace looks like.
 */
export function linkTrace(traceId: string, spans: Span[], extra: { structure?: Trace['structure']; warnings?: string[] } = {}): Trace {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const roots: Span[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (parent) parent.children.push(span);
    else roots.push(span);
  }
  const byStart = (a: Span, b: Span): number => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);
  roots.sort(byStart);
  for (const span of spans) span.children.sort(byStart);

  const ordered: Span[] = [];
  const stack: Array<{ span: Span; depth: number }> = roots.map((span) => ({ span, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { span, depth } = stack.pop()!;
    span.depth = depth;
    ordered.push(span);
    for (let i = span.children.length - 1; i >= 0; i--) stack.push({ span: span.children[i]!, depth: depth + 1 });
  }

  const startNs = spans.reduce((min, s) => (s.startNs < min ? s.startNs : min), spans[0]?.startNs ?? BASE_NS);
  const endNs = spans.reduce((max, s) => (s.endNs > max ? s.endNs : max), spans[0]?.endNs ?? BASE_NS);
  const services: string[] = [];
  for (const span of ordered) if (!services.includes(span.service)) services.push(span.service);
  const records = ordered.flatMap((s) => s.records).sort((a, b) => (a.timeNs! < b.timeNs! ? -1 : a.timeNs! > b.timeNs! ? 1 : 0));

  return {
    traceId,
    startNs,
    endNs,
    durationMs: Number(endNs - startNs) / 1e6,
    spans: ordered,
    roots,
    services,
    recordCount: records.length,
    errorCount: spans.filter((s) => s.error).length,
    structure: extra.structure ?? 'parent-ids',
    warnings: extra.warnings ?? [],
    records,
  };
}
