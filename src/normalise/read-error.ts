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
  const status = first(w, Slot.SpanStatus, spanStatusError);
  if (status !== null) {
    const text = first(w, Slot.SpanStatus, (v, c) => (c.alias.hint === 'statusText' ? nonEmptyString(v) : null));
    return text === null ? status : { message: text };
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

/**
 * Go stdouttrace `Status {Code: "Error", Description}`, Python `status {status_code: "ERROR"}`,
 * OTel JS `status {code: 2, message}`, and span-end lines' `"status":"ERROR"`, `otel.status_code`,
 * `status.code: 2`.
 */
function spanStatusError(v: unknown, c: Candidate): ErrorInfo | null {
  if (c.alias.hint === 'statusText') return null;
  if (typeof v === 'string') return isErrorCode(v) ? { message: 'status ERROR' } : null;
  // Numeric 2 is OTLP's STATUS_CODE_ERROR only under a key that holds a span status code.
  if (typeof v === 'number') return v === 2 && (c.alias.path === 'status.code' || c.alias.path === 'otel.status_code') ? { message: 'status ERROR' } : null;
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const code = o.Code ?? o.status_code ?? o.code;
  const isError = code === 2 || (typeof code === 'string' && isErrorCode(code));
  if (!isError) return null;
  const text = o.Description ?? o.description ?? o.message;
  return { message: typeof text === 'string' && text !== '' ? text : 'error' };
}

function isErrorCode(s: string): boolean {
  return /^(STATUS_CODE_)?ERROR$/i.test(s);
}
