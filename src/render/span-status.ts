import type { AnsweredStatus, Span } from '../types.js';

/** What a span answered: an HTTP status or a gRPC code, or neither. */
export type SpanStatus = AnsweredStatus | null;

/**
 * The status a span answered with: the latest of its lines that logs one, as the fold keeps it
 * (span-facts.ts), so `show` and `traces` read the same one whether or not lines are kept. Spans
 * built elsewhere fall back to their own HTTP and gRPC facts.
 */
export function spanStatus(span: Span): SpanStatus {
  if (span.status !== undefined) return span.status;
  if (span.http?.status !== undefined) return { kind: 'http', status: span.http.status };
  if (span.grpc?.code !== undefined) return { kind: 'grpc', code: span.grpc.code };
  return null;
}
