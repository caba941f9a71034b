import { LEVEL_RANK, type LogRecord } from '../types.js';

// gRPC codes a client sees when it gave up itself: not the server's failure.
const GRPC_OK = 0;
const GRPC_CANCELLED = 1;
const GRPC_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

/**
 * Why a record makes its span an error, or null. The rules: a line at level error or above, an
 * error field, an HTTP status ≥ 500, or a non-OK gRPC code other than a client-side cancel.
 */
export function recordErrorReason(record: LogRecord): string | null {
  if (record.error) return record.error;
  if (record.level && LEVEL_RANK[record.level] >= LEVEL_RANK.error) return record.message || record.level;
  const status = record.http?.status;
  // A line that names its peer (upstream, peer.service…) reports the callee's answer: the
  // callee's span failed, this one only noticed (it fails by its own error field or level).
  if (status !== undefined && status >= 500 && record.peer === undefined) return `HTTP ${status}`;
  const code = record.grpc?.code;
  if (code !== undefined && code !== GRPC_OK && code !== GRPC_CANCELLED) return `gRPC ${GRPC_NAMES[code] ?? code}`;
  return null;
}

/** The first error reason among a span's records, preferring an explicit error message. */
export function spanError(records: readonly LogRecord[]): { error: boolean; message: string | null; atNs: bigint | null } {
  let fallback: { message: string; atNs: bigint | null } | null = null;
  for (const r of records) {
    const reason = recordErrorReason(r);
    if (reason === null) continue;
    // An explicit error field says more than "HTTP 502" or a bare level.
    if (r.error) return { error: true, message: r.error, atNs: fallback?.atNs ?? r.timeNs };
    fallback ??= { message: reason, atNs: r.timeNs };
  }
  return fallback ? { error: true, message: fallback.message, atNs: fallback.atNs } : { error: false, message: null, atNs: null };
}

/** A 4xx answer or a line at warn level: shown with ⚠ and counted, never an error by itself. */
export function isWarning(record: LogRecord): boolean {
  const status = record.http?.status;
  if (status !== undefined && status >= 400 && status < 500) return true;
  return record.level === 'warn';
}

// Words of a line that reports on a finished call, not one being made.
const ANSWER_WORDS = /\b(returned|responded|response|answered|answer|failed|failure|error|errored|timed? ?out|timeout|status|retrying|gave up|giving up|aborted)\b/i;

/** A line that reports an outcome (an error, a status, "returned"): an answer, never a call. */
export function isAnswerLine(record: LogRecord): boolean {
  if (record.error !== null || record.http?.status !== undefined || record.durationMs !== null) return true;
  if (record.level !== null && LEVEL_RANK[record.level] >= LEVEL_RANK.warn) return true;
  return ANSWER_WORDS.test(record.message);
}
