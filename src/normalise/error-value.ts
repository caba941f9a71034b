// Error values in all their shapes → a message and a stack.
//   strings (zap/zerolog/logrus/slog `error`), pino `err {type,message,stack}`, bunyan
//   `err {name,message,stack,code}`, ECS `error {type,message,stack_trace}`, log4j
//   `thrown {name,message,extendedStackTrace}`, structlog `exception` lists, bare stacks
//   (`@x`, `exc_info`, `stack_trace`…) whose message is read from the stack text.

export interface ErrorInfo {
  message: string;
  stack?: string;
}

const MESSAGE_KEYS = ['message', 'msg', 'error', 'exc_value', 'description', 'reason'];
const STACK_KEYS = ['stack', 'stack_trace', 'stacktrace', 'extendedStackTrace', 'exc_info', 'trace'];
const TYPE_KEYS = ['type', 'name', 'exc_type', 'kind', 'class'];

/** An error from a message-ish value; null when the value says "no error" (`""`, false, null). */
export function errorFromValue(value: unknown): ErrorInfo | null {
  if (typeof value === 'string') {
    if (value === '') return null;
    // A multi-line error string is a stack (structlog `exception`, winston errors({stack})): the
    // exception line is the message, the whole text the stack.
    return value.includes('\n') ? errorFromStack(value) : { message: value };
  }
  if (value === true) return { message: 'error' };
  if (Array.isArray(value)) {
    // structlog dict_tracebacks: [{exc_type, exc_value, frames}], outermost last.
    const last = value[value.length - 1];
    return last === undefined ? null : errorFromValue(last);
  }
  if (value === null || typeof value !== 'object') return null;
  const o = value as Record<string, unknown>;
  const message = firstString(o, MESSAGE_KEYS);
  const type = firstString(o, TYPE_KEYS);
  const stack = firstString(o, STACK_KEYS);
  const text = message ?? (stack !== undefined ? messageFromStack(stack) : type);
  if (text === undefined || text === '') return null;
  return stack === undefined ? { message: text } : { message: text, stack };
}

/** A bare stack: the message is the exception line (first line; last line of a Python traceback). */
export function errorFromStack(stack: unknown): ErrorInfo | null {
  const text = typeof stack === 'string' ? stack : Array.isArray(stack) ? stack.map(frameText).join('\n') : null;
  if (!text) return null;
  return { message: messageFromStack(text), stack: text };
}

export function messageFromStack(stack: string): string {
  const lines = stack.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  if (lines.length === 0) return 'error';
  if (lines[0]!.startsWith('Traceback')) return lines[lines.length - 1]!.trim();
  return lines[0]!.trim();
}

function frameText(frame: unknown): string {
  return typeof frame === 'string' ? frame : JSON.stringify(frame);
}

function firstString(o: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}
