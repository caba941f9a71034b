import parseDuration from 'parse-duration';

// parse-duration reads the units it knows and skips the rest ("30s foo" → 30 s, "800" → 800 ms):
// for a CI gate that is too forgiving, so the text must be number+unit pairs and nothing else.
const DURATION_SHAPE = /^\s*(\d+(\.\d+)?\s*[a-zµμ]+\s*)+$/i;

/**
 * Milliseconds from `800ms`, `1s`, `1.5s`, `2m30s`; null for anything else, including a bare
 * number (is `1000` a second or a thousand?) and units parse-duration does not know.
 */
export function parseDurationMs(text: string): number | null {
  if (!DURATION_SHAPE.test(text)) return null;
  const ms = parseDuration(text.trim());
  return ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0 ? null : ms;
}

