// A small trace builder for analysis tests: spans given in ms offsets, linked and ordered the way
// the assembler does (children by start, depth-first span order), without going through logs.
import { linkTrace } from '../support/make-trace.js';
import type { LogRecord, Span, SpanKind, Trace } from '../../src/types.js';
import { emptyEvidence } from '../../src/assemble/spans.js';

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
      evidence: emptyEvidence(),
      lineCount: s.placeholder ? 0 : records.length,
      error: s.error !== undefined,
      errorMessage: s.error ?? null,
      inferredParent: false,
      inferredBy: null,
      clockOffsetMs: 0,
      warning: false,
      placeholder: s.placeholder ?? false,
      host: s.host ?? null,
      kind: s.kind ?? null,
      children: [],
      depth: 0,
      errorOrigin: false,
      skewShiftMs: 0,
      outlivesParent: false,
    };
    return span;
  });
  return linkTrace(traceId, spans);
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
