// Call lines: a caller's "calling payment-service" before the callee's first line, and its answer
// line ("payment-service returned 502") after the callee's last. They are the evidence that pairs
// an entry span with its caller, and the pairs are what clock offsets are estimated from.
import { LEVEL_RANK, type LogRecord, type Span } from '../types.js';

/** A line in `span` that names `callee`'s service and reads as the start of a call. */
export interface CallLine {
  record: LogRecord;
  span: Span;
}

// Words of a line that reports on a finished call, not one being made.
const ANSWER_WORDS = /\b(returned|responded|response|answered|answer|failed|failure|error|errored|timed? ?out|timeout|status|retrying|gave up|giving up|aborted)\b/i;

/** Whether a line names `service` in its message, error or any string field. */
export function mentions(record: LogRecord, service: string): boolean {
  if (record.message.includes(service) || record.error?.includes(service)) return true;
  for (const value of Object.values(record.attributes)) {
    if (typeof value === 'string' && value.includes(service)) return true;
  }
  return false;
}

/** A line that reports an outcome (an error, a status, "returned"): an answer, never a call. */
export function isAnswerLine(record: LogRecord): boolean {
  if (record.error !== null || record.http?.status !== undefined || record.durationMs !== null) return true;
  if (record.level !== null && LEVEL_RANK[record.level] >= LEVEL_RANK.warn) return true;
  return ANSWER_WORDS.test(record.message);
}

/** Every call line to `service` in spans of other services, in time order (line order within a file). */
export function callLinesTo(service: string, spans: readonly Span[]): CallLine[] {
  const calls: CallLine[] = [];
  for (const span of spans) {
    if (span.service === service || span.placeholder) continue;
    for (const record of span.records) {
      if (record.timeNs !== null && !isAnswerLine(record) && mentions(record, service)) calls.push({ record, span });
    }
  }
  return calls.sort((a, b) => comparePosition(a.record, b.record));
}

/**
 * The caller's first line after `call` that answers it (names the callee and reports an
 * outcome), else its next line at all: the latest moment the callee's work can have ended.
 */
export function answerAfter(call: CallLine, calleeService: string): LogRecord | null {
  let next: LogRecord | null = null;
  for (const r of call.span.records) {
    if (r.timeNs === null || comparePosition(r, call.record) <= 0) continue;
    if (isAnswerLine(r) && mentions(r, calleeService)) return r;
    next ??= r;
  }
  return next;
}

/** Time order; within one file, line order breaks ties (ms clocks stamp many lines alike). */
export function comparePosition(a: LogRecord, b: LogRecord): number {
  const ta = a.timeNs ?? 0n;
  const tb = b.timeNs ?? 0n;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.origin === b.origin ? a.lineNo - b.lineNo : 0;
}
