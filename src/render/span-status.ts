import type { Span } from '../types.js';

/** What a span answered: an HTTP status or a gRPC code, or neither. */
export type SpanStatus = { kind: 'http'; status: number } | { kind: 'grpc'; code: number } | null;

/**
 * The status a span answered with: the latest of its lines that logs one, since a request's first
 * line (method and route) comes before its answer ("request completed status=402"). Spans kept
 * without their lines fall back to the span's own HTTP and gRPC facts.
 */
export function spanStatus(span: Span): SpanStatus {
  for (let i = span.records.length - 1; i >= 0; i--) {
    const r = span.records[i]!;
    if (r.http?.status !== undefined) return { kind: 'http', status: r.http.status };
    if (r.grpc?.code !== undefined) return { kind: 'grpc', code: r.grpc.code };
  }
  if (span.http?.status !== undefined) return { kind: 'http', status: span.http.status };
  if (span.grpc?.code !== undefined) return { kind: 'grpc', code: span.grpc.code };
  return null;
}
