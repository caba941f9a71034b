// Call lines: a caller's "calling payment-service" before the callee's first line, and its answer
// line ("payment-service returned 502") after the callee's last. They are the evidence that pairs
// an entry span with its caller, and the pairs are what clock offsets are estimated from.
import type { LineFact, Span } from '../types.js';
import { comparePosition } from './span-facts.js';

/** A line in `span` that names `callee`'s service and reads as the start of a call. */
export interface CallLine {
  line: LineFact;
  span: Span;
}

/** Whether a line names `service` in its message, error or any string field. */
export function mentions(line: LineFact, service: string): boolean {
  return line.text.includes(service);
}

/** Every call line to `service` in spans of other services, in time order (line order within a file). */
export function callLinesTo(service: string, spans: readonly Span[]): CallLine[] {
  const calls: CallLine[] = [];
  for (const span of spans) {
    if (span.service === service || span.placeholder) continue;
    for (const line of span.evidence.lines) {
      if (!line.answer && mentions(line, service)) calls.push({ line, span });
    }
  }
  return calls.sort((a, b) => comparePosition(a.line, b.line));
}

/**
 * The caller's first line after `call` that answers it (reports an outcome), else its next
 * line at all: the latest moment the callee's work can have ended.
 */
export function answerAfter(call: CallLine): LineFact | null {
  let next: LineFact | null = null;
  for (const line of call.span.evidence.lines) {
    if (comparePosition(line, call.line) <= 0) continue;
    if (line.answer) return line;
    next ??= line;
  }
  return next;
}

