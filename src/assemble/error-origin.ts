import type { Span } from '../types.js';

/**
 * Marks the span where the failure most likely started: of the failing spans with no failing
 * descendant, the one that failed first (ties: the deepest). Returns it, or null.
 * `spans` must be in tree order (parents before children).
 */
export function markErrorOrigin(spans: readonly Span[]): Span | null {
  const subtreeFails = new Set<Span>();
  // Reverse tree order visits children before their parents: one pass, no recursion.
  for (let i = spans.length - 1; i >= 0; i--) {
    const span = spans[i]!;
    if (span.error || span.children.some((c) => subtreeFails.has(c))) subtreeFails.add(span);
  }
  let origin: Span | null = null;
  let originAt = 0n;
  for (const span of spans) {
    if (!span.error || span.children.some((c) => subtreeFails.has(c))) continue;
    const at = firstErrorAt(span);
    if (!origin || at < originAt || (at === originAt && span.depth > origin.depth)) {
      origin = span;
      originAt = at;
    }
  }
  if (origin) origin.errorOrigin = true;
  return origin;
}

function firstErrorAt(span: Span): bigint {
  return span.evidence.errorLines[0]?.timeNs ?? span.endNs;
}
