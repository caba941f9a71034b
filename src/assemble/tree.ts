import type { Span } from '../types.js';
import { placeholderSpan } from './spans.js';

export interface Tree {
  /** Spans in tree order: depth-first, children by start. */
  spans: Span[];
  roots: Span[];
  warnings: string[];
}

/**
 * Links spans to their parents, adds placeholders for parents that were referenced but never
 * logged, and orders everything depth-first. Iterative throughout: traces can be 100 000 deep.
 */
export function buildTree(input: readonly Span[]): Tree {
  const warnings: string[] = [];
  const byId = new Map<string, Span>();
  for (const span of input) {
    if (byId.has(span.spanId)) {
      warnings.push(`span id ${span.spanId} appears twice; the second one is shown as its own span`);
      span.spanId = `${span.spanId}#dup${byId.size}`;
    }
    byId.set(span.spanId, span);
  }

  // Parents that are referenced but never logged become visible placeholders.
  const orphansByParent = new Map<string, Span[]>();
  for (const span of byId.values()) {
    if (span.parentSpanId !== null && !byId.has(span.parentSpanId)) {
      let list = orphansByParent.get(span.parentSpanId);
      if (!list) orphansByParent.set(span.parentSpanId, (list = []));
      list.push(span);
    }
  }
  for (const [parentId, children] of orphansByParent) byId.set(parentId, placeholderSpan(parentId, children));
  if (orphansByParent.size > 0) {
    const n = orphansByParent.size;
    warnings.push(`${n} parent span${n === 1 ? ' was' : 's were'} referenced but never logged (shown as "(not logged)")`);
  }

  for (const span of byId.values()) span.children = [];
  const roots: Span[] = [];
  for (const span of byId.values()) {
    const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
    if (parent && parent !== span) parent.children.push(span);
    else roots.push(span);
  }

  const spans = walk(roots);
  // Parent ids that loop (bad data) leave spans unreachable from any root: cut the loop at its
  // earliest span so nothing the user logged disappears.
  if (spans.length < byId.size) {
    const seen = new Set(spans);
    const stranded = [...byId.values()].filter((s) => !seen.has(s)).sort(byStart);
    while (stranded.length > 0) {
      const cut = stranded[0]!;
      const oldParent = byId.get(cut.parentSpanId!);
      if (oldParent) oldParent.children = oldParent.children.filter((c) => c !== cut);
      warnings.push(`span ${cut.spanId} is part of a parent-id loop; shown as a root`);
      cut.parentSpanId = null;
      roots.push(cut);
      const reached = walk([cut]);
      for (const s of reached) seen.add(s);
      for (const s of reached) spans.push(s);
      for (let i = stranded.length - 1; i >= 0; i--) if (seen.has(stranded[i]!)) stranded.splice(i, 1);
    }
    roots.sort(byStart);
    const ordered = walk(roots);
    spans.length = 0;
    for (const s of ordered) spans.push(s);
  }
  return { spans, roots, warnings };
}

/** Depth-first order with an explicit stack; sorts children by start and sets depth. */
function walk(roots: Span[]): Span[] {
  roots.sort(byStart);
  const out: Span[] = [];
  const stack: Span[] = [...roots].reverse();
  for (const r of roots) r.depth = 0;
  while (stack.length > 0) {
    const span = stack.pop()!;
    out.push(span);
    span.children.sort(byStart);
    for (let i = span.children.length - 1; i >= 0; i--) {
      const child = span.children[i]!;
      child.depth = span.depth + 1;
      stack.push(child);
    }
  }
  return out;
}

function byStart(a: Span, b: Span): number {
  if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
  return b.durationMs - a.durationMs;
}
