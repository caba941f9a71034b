/**
 * Log text is untrusted: a line can carry terminal escape sequences (clear screen, OSC 8 links,
 * title changes), carriage returns that overwrite what was printed, bidi overrides that make
 * text read differently from what it is, or invisible characters that make two different names
 * look the same. Every piece of log-derived text goes through here before it reaches a terminal
 * or a document (markdown, JUnit), so such characters are shown as visible escapes instead.
 */

/** Characters shown by a short conventional escape rather than a code. */
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
};

/**
 * Characters that are never printed raw, as a regexp class body:
 * - C0 controls, DEL, C1 controls (U+009B is a one-byte CSI on many terminals);
 * - ALM (U+061C), zero-width space/non-joiner/joiner and LRM/RLM (U+200B–200F);
 * - line/paragraph separators (U+2028/2029), which some terminals and editors treat as breaks;
 * - bidi embeddings/overrides (U+202A–202E); word joiner, invisible operators, bidi isolates and
 *   the deprecated format controls (U+2060–206F);
 * - the byte order mark / zero-width no-break space (U+FEFF).
 */
export const UNSAFE_CLASS_BODY = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff';
const UNSAFE = new RegExp(`[${UNSAFE_CLASS_BODY}]`, 'g');
const HAS_UNSAFE = new RegExp(`[${UNSAFE_CLASS_BODY}]`);

export function sanitize(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** `\xNN` for C0 and DEL, `\uNNNN` above; `\n`, `\t`, `\r` by name. */
export function escapeChar(ch: string): string {
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

/**
 * A message for stderr: one line (line breaks and the space around them become one space), then
 * sanitised like stdout. Messages echo what a server, a file name or the user controls.
 */
export function sanitizeMessage(text: string): string {
  return sanitize(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}
