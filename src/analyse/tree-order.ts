import type { Span } from '../types.js';

/** Spans depth-first, children in their stored order; iterative so 100 000-deep chains are fine. */
export function treeOrder(roots: readonly Span[]): Span[] {
  const out: Span[] = [];
  const stack: Span[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]!);
  while (stack.length > 0) {
    const span = stack.pop()!;
    out.push(span);
    for (let i = span.children.length - 1; i >= 0; i--) stack.push(span.children[i]!);
  }
  return out;
}

/** Orders spans by start time, keeping the existing order for equal starts (Array.sort is stable). */
export function byStart(a: Span, b: Span): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0;
}
