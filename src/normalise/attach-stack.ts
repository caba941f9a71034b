// Stack-trace lines printed after a record (continuations.ts) become part of that record: they go
// after any stack the JSON carried, and when the JSON named no error, the error is read from them
// the way a stack field is read (error-value.ts: the exception line).
import type { LogRecord } from '../types.js';
import { errorFromStack } from './error-value.js';

/** The lines attached to one record so far. */
export interface AttachedStack {
  record: LogRecord;
  lines: string[];
}

export function startStack(record: LogRecord): AttachedStack {
  return { record, lines: [] };
}

/** Writes the attached lines into the record, once the stack has ended. */
export function settleStack(s: AttachedStack): void {
  if (s.lines.length === 0) return;
  const text = s.lines.join('\n');
  const r = s.record;
  r.errorStack = r.errorStack ? `${r.errorStack}\n${text}` : text;
  if (r.error === null) r.error = errorFromStack(text)?.message ?? null;
}
