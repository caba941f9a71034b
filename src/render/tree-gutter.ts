import { GLYPH, GUTTER_STEP } from './glyphs.js';

/** What the tree gutter needs from a row. */
export interface GutterRow {
  depth: number;
  inferredParent: boolean;
}

export interface Gutter {
  /** Drawn before the row's label: ancestors' pipes and this row's branch. */
  row: string;
  /** Drawn before lines that belong to the row (its log lines): pipes continuing down. */
  below: string;
}

/**
 * Gutters for rows already in depth-first order. Iterative and linear in the number of rows, and
 * at most `maxLevels` levels are drawn per row (deeper ancestry is shown as `⋯`), so a 100 000-deep
 * chain costs no more per row than a shallow tree.
 */
export function computeGutters(rows: readonly GutterRow[], maxLevels: number): Gutter[] {
  const last = lastAmongSiblings(rows);
  const hasChildren = rows.map((r, i) => i + 1 < rows.length && rows[i + 1]!.depth > r.depth);
  // continues[level]: the ancestor at that level has siblings still to come, so draw a pipe.
  const continues: boolean[] = [];
  const gutters: Gutter[] = [];
  for (let i = 0; i < rows.length; i++) {
    const { depth, inferredParent } = rows[i]!;
    continues.length = depth + 1;
    continues[depth] = !last[i];
    const levels = Math.max(1, maxLevels);
    const from = Math.max(1, depth - levels + 1);
    let prefix = from > 1 ? GLYPH.deep : '';
    for (let level = from; level < depth; level++) prefix += continues[level] ? GLYPH.pipe : GLYPH.blank;
    const branch =
      depth === 0
        ? ''
        : inferredParent
          ? last[i] ? GLYPH.inferredLastBranch : GLYPH.inferredBranch
          : last[i] ? GLYPH.lastBranch : GLYPH.branch;
    const own = depth === 0 ? '' : last[i] ? GLYPH.blank : GLYPH.pipe;
    gutters.push({
      row: prefix + branch,
      below: prefix + own + (hasChildren[i] ? GLYPH.pipe : GLYPH.blank),
    });
  }
  return gutters;
}

/** Columns the gutter takes at a depth, for layout. */
export function gutterWidth(depth: number, maxLevels: number): number {
  if (depth === 0) return 0;
  const levels = Math.max(1, maxLevels);
  const drawn = Math.min(depth, levels);
  return drawn * GUTTER_STEP + (depth > levels ? GLYPH.deep.length : 0);
}

/**
 * For each row: is it the last child of its parent? One backward pass: a row is last when no
 * later row at the same depth comes before a shallower one.
 */
export function lastAmongSiblings(rows: readonly GutterRow[]): boolean[] {
  const last = new Array<boolean>(rows.length);
  const seen: boolean[] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    const depth = rows[i]!.depth;
    last[i] = seen[depth] !== true;
    seen.length = depth + 1;
    seen[depth] = true;
  }
  return last;
}
