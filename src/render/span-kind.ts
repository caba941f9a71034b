import type { Span, SpanKind, Trace } from '../types.js';
import { spanStatus } from './span-status.js';

/**
 * The kind an export gives a span: the one its lines state, else a guess from what logs are.
 * A service's log lines for a request are its handling of it: a span that answered with an HTTP
 * status or gRPC code, logged a method or route, or was entered from another service (or from
 * nothing: a root) is the SERVER side; a span nested in its own service is INTERNAL work. A
 * placeholder (never logged) stays unspecified: nothing is known about it.
 */
export function exportKind(span: Span, trace: Trace, byId?: ReadonlyMap<string, Span>): SpanKind | null {
  if (span.kind) return span.kind;
  if (span.placeholder) return null;
  if (spanStatus(span) !== null || span.http?.method || span.http?.route || span.grpc?.method) return 'server';
  const parent = span.parentSpanId === null ? undefined : (byId ?? spansById(trace)).get(span.parentSpanId);
  return parent === undefined || parent.service !== span.service ? 'server' : 'internal';
}

export function spansById(trace: Trace): Map<string, Span> {
  const map = new Map<string, Span>();
  for (const s of trace.spans) map.set(s.spanId, s);
  return map;
}
