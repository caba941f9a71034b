// Stack-trace lines printed after a record (continuations.ts) become part of that record: they go
// after any stack the JSON carried, and when the JSON named no error, the error is read from them
// the way a stack field is read (error-value.ts: the exception line).
import type { LogRecord } from '../types.js';
import { errorFromStack } from './error-value.js';

/** The lines attached to one record so far, and what the record said before any of them. */
export interface AttachedStack {
  record: LogRecord;
  lines: string[];
  stackBefore: string | undefined;
  errorBefore: string | null;
}

export function startStack(record: LogRecord): AttachedStack {
  return { record, lines: [], stackBefore: record.errorStack, errorBefore: record.error };
}

/** Writes the lines so far into the record; safe to call again after more lines came. */
export function settleStack(s: AttachedStack): void {
  if (s.lines.length === 0) return;
  const text = s.lines.join('\n');
  s.record.errorStack = s.stackBefore ? `${s.stackBefore}\n${text}` : text;
  if (s.errorBefore === null) s.record.error = errorFromStack(text)?.message ?? null;
}
