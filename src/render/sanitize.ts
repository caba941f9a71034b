/**
 * Log text is untrusted: a line can carry terminal escape sequences (clear screen, OSC 8 links,
 * title changes), carriage returns that overwrite what was printed, or bidi overrides that make
 * text read differently from what it is. Every piece of log-derived text goes through here before
 * it reaches a terminal, so such characters are shown as visible escapes instead of acting.
 */

/** Characters shown by a short conventional escape rather than a code. */
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
};

// C0 controls, DEL, C1 controls; bidi embeddings/overrides (202A–202E) and isolates (2066–2069);
// line/paragraph separators (2028/2029), which some terminals and editors treat as line breaks.
const UNSAFE_CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const UNSAFE = new RegExp(UNSAFE_CLASS, 'g');
const HAS_UNSAFE = new RegExp(UNSAFE_CLASS);

export function sanitize(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

function escapeChar(ch: string): string {
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  if (code <= 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** True when the text would be changed by `sanitize` (for callers that want to count or warn). */
export function needsSanitizing(text: string): boolean {
  return HAS_UNSAFE.test(text);
}
