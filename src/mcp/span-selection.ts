import type { Span, Trace } from '../types.js';

/** What a cut leaves out under one shown span: its children's subtrees that were not shown. */
export interface Hidden {
  spans: number;
  errors: number;
}

export interface SpanSelection {
  /** The shown spans in the trace's depth-first order. */
  shown: Span[];
  /** Per shown span with children left out: how many spans (and failing ones) are under the cut. */
  hidden: Map<Span, Hidden>;
  /** The roots of the cut subtrees (unshown children of shown spans): those with errors first, then the biggest. */
  cutRoots: Span[];
  /** Spans in the subtrees asked for (the whole trace, or the expanded spans' subtrees). */
  total: number;
}

/**
 * Which spans of the subtrees under `roots` a capped get_trace shows: the error origin's chain
 * first (where the agent will look), then level by level from the top, so what is cut is the
 * deep end of subtrees, each cut point counted. A shown span's parent is always shown (within
 * the subtrees asked for), so every cut is a span whose subtree can be asked for by id.
 */
export function selectSpans(trace: Trace, roots: readonly Span[], max: number): SpanSelection {
  // By object, not id: a trace can log the same span id twice.
  const index = new Map<Span, number>();
  const parentOf = new Map<Span, Span>();
  trace.spans.forEach((s, i) => {
    index.set(s, i);
    for (const child of s.children) parentOf.set(child, s);
  });
  // trace.spans is depth-first, so a span's subtree is the run of `size` spans starting at it.
  const size = new Array<number>(trace.spans.length).fill(1);
  const errors = trace.spans.map((s) => (s.error ? 1 : 0));
  for (let i = trace.spans.length - 1; i >= 0; i--) {
    for (const child of trace.spans[i]!.children) {
      const c = index.get(child)!;
      size[i]! += size[c]!;
      errors[i]! += errors[c]!;
    }
  }
  const selected = new Set<Span>();
  const rootSet = new Set(roots);
  const inRange = (s: Span) => roots.some((r) => index.get(s)! >= index.get(r)! && index.get(s)! < index.get(r)! + size[index.get(r)!]!);

  const origin = trace.spans.find((s) => s.errorOrigin);
  if (origin && inRange(origin)) {
    // The chain from the origin up to the subtree root it belongs to.
    const chain = new Set<Span>();
    for (let s: Span | undefined = origin; s && !chain.has(s); s = rootSet.has(s) ? undefined : parentOf.get(s)) chain.add(s);
    for (const s of [...chain].reverse().slice(0, max)) selected.add(s);
  }
  // Breadth-first from the roots until the budget is spent.
  let level: Span[] = [...roots];
  while (level.length > 0 && selected.size < max) {
    const nextLevel: Span[] = [];
    for (const s of level) {
      if (selected.size >= max) break;
      selected.add(s);
      nextLevel.push(...s.children);
    }
    level = nextLevel;
  }

  const shown: Span[] = [];
  const hidden = new Map<Span, Hidden>();
  const cutRoots: Span[] = [];
  let total = 0;
  for (const root of roots) {
    const start = index.get(root)!;
    total += size[start]!;
    // A subtree asked for that the budget did not reach is cut whole.
    if (!selected.has(root)) cutRoots.push(root);
    for (let i = start; i < start + size[start]!; i++) {
      const s = trace.spans[i]!;
      if (!selected.has(s)) continue;
      shown.push(s);
      let cut: Hidden | null = null;
      for (const child of s.children) {
        if (selected.has(child)) continue;
        cutRoots.push(child);
        const c = index.get(child)!;
        cut ??= { spans: 0, errors: 0 };
        cut.spans += size[c]!;
        cut.errors += errors[c]!;
      }
      if (cut) hidden.set(s, cut);
    }
  }
  const weight = (s: Span) => index.get(s)!;
  cutRoots.sort((a, b) => errors[weight(b)]! - errors[weight(a)]! || size[weight(b)]! - size[weight(a)]!);
  return { shown, hidden, cutRoots, total };
}

/**
 * The spans whose subtrees to show: the ids asked for that exist, minus those inside another
 * one asked for (their spans are shown with it). Unknown ids are returned apart.
 */
export function expansionRoots(trace: Trace, ids: readonly string[]): { roots: Span[]; unknown: string[] } {
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const unknown = ids.filter((id) => !byId.has(id));
  const wanted = new Set(ids.filter((id) => byId.has(id)));
  const roots: Span[] = [];
  for (const id of wanted) {
    const span = byId.get(id)!;
    let inside = false;
    const seen = new Set<string>();
    for (let p = span.parentSpanId; p !== null && !seen.has(p); p = byId.get(p)?.parentSpanId ?? null) {
      seen.add(p);
      if (wanted.has(p)) inside = true;
    }
    if (!inside) roots.push(span);
  }
  // In the trace's own order, so the listing stays depth-first.
  const order = new Map(trace.spans.map((s, i) => [s.spanId, i]));
  roots.sort((a, b) => order.get(a.spanId)! - order.get(b.spanId)!);
  return { roots, unknown };
}
