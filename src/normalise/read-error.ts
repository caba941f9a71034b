// The error a line carries: message and stack from error fields, bare stacks, or a span dump's status.
import { errorFromStack, errorFromValue, type ErrorInfo } from './error-value.js';
import { Slot } from './fields.js';
import type { Candidate, WalkResult } from './key-trie.js';
import type { Producer } from './producers.js';
import { first, nonEmptyString, stackText } from './slot-reader.js';

export function readError(w: WalkResult, producer: Producer): ErrorInfo | null {
  const error = first(w, Slot.ErrorMessage, errorOf);
  if (error !== null) {
    if (error.stack === undefined) {
      const stack = first(w, Slot.ErrorMessage, stackOnly);
      if (stack !== null) error.stack = stack;
    }
    return error;
  }
  if (producer.spanDump) {
    const status = first(w, Slot.SpanStatus, spanStatusError);
    if (status !== null) return status;
  }
  const type = first(w, Slot.ErrorType, nonEmptyString);
  return type === null ? null : { message: type };
}

function errorOf(v: unknown, c: Candidate): ErrorInfo | null {
  return c.alias.hint === 'stack' ? errorFromStack(v) : errorFromValue(v);
}

function stackOnly(v: unknown, c: Candidate): string | null {
  return c.alias.hint === 'stack' ? stackText(v) : null;
}

/** Go stdouttrace `Status {Code: "Error", Description}`, Python `status {status_code: "ERROR"}`. */
function spanStatusError(v: unknown): ErrorInfo | null {
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const code = o.Code ?? o.status_code ?? o.code;
  const isError = code === 2 || (typeof code === 'string' && /^(STATUS_CODE_)?ERROR$/i.test(code));
  if (!isError) return null;
  const text = o.Description ?? o.description ?? o.message;
  return { message: typeof text === 'string' && text !== '' ? text : 'error' };
}
