import type { Span } from '../types.js';

/**
 * A producer→consumer edge: the parent hands work off and does not wait for it. Such edges must
 * never be used to estimate clock skew, and the child never blocks the parent on the critical path.
 */
export function isAsyncEdge(parent: Span, child: Span): boolean {
  return child.kind === 'consumer' || parent.kind === 'producer';
}
