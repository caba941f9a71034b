import { makePainter, type Painter } from '../render/palette.js';
import { fitPieces, padPieces, paintPieces, piecesWidth, type Piece } from '../render/pieces.js';
import { spanLabel } from '../render/span-label.js';
import { padStartToWidth } from '../render/text-width.js';
import { barPaint, computeColumns, durationText, fitLabelColumn, GAP, type Layout } from '../render/tree.js';
import { GLYPH } from '../render/glyphs.js';
import { gutterWidth, lastAmongSiblings } from '../render/tree-gutter.js';
import { axisLine, barRuns, type Timeline } from '../render/waterfall.js';
import { hasChildren, type TraceModel } from './trace-model.js';

/** The column before each row that marks the selection, so it shows without colour too. */
export const CURSOR = '›';

/** The tree pane's columns for one width: the layout `show` uses, measured over every span once. */
export interface TreeLayout extends Layout {
  width: number;
  /** Per span: is it the last child of its parent? (what a row's gutter is drawn from) */
  last: readonly boolean[];
  durations: readonly string[];
  timeline: Timeline;
}

const layouts = new WeakMap<TraceModel, TreeLayout>();

/**
 * The layout for the pane's width, kept per trace until the width changes. Measuring every
 * label is what a resize costs (a few hundred ms at 100 000 spans); drawing costs only the rows
 * on screen.
 */
export function treeLayout(model: TraceModel, width: number): TreeLayout {
  const cached = layouts.get(model);
  if (cached?.width === width) return cached;
  const rowWidth = Math.max(1, width - CURSOR.length);
  const durations = model.spans.map(durationText);
  const columns = computeColumns(durations, rowWidth);
  const last = lastAmongSiblings(model.spans);
  const plain = makePainter(false);
  // The gutter's width follows from the depth alone; its text is drawn for the rows on screen.
  const labels = model.spans.map((span) => [{ text: ' '.repeat(gutterWidth(span.depth, columns.maxGutterLevels)) }, ...spanLabel(span, '', plain)]);
  const layout = fitLabelColumn(columns, labels.map(piecesWidth), rowWidth);
  const timeline: Timeline = { startNs: model.trace.startNs, endNs: model.trace.endNs, width: layout.barWidth };
  const result: TreeLayout = { ...layout, width, last, durations, timeline };
  layouts.set(model, result);
  return result;
}

/** The time axis over the bar column, aligned with the rows. */
export function axisRow(model: TraceModel, layout: TreeLayout, paint: Painter): string {
  if (layout.barWidth <= 0) return '';
  const indent = CURSOR.length + layout.labelWidth + GAP.length + (layout.durationWidth > 0 ? layout.durationWidth + GAP.length : 0);
  return paint.dim(' '.repeat(indent) + axisLine(layout.barWidth, model.trace.durationMs));
}

export interface RowLook {
  selected: boolean;
  collapsed: boolean;
  /** Draw the critical path solid and the rest light. */
  critical: boolean;
  /** The span matches the search. */
  match: boolean;
}

/**
 * One span's row: cursor, label (gutter, service, name, status, markers; `▸ +N` when its N
 * descendants are hidden), duration and bar, exactly `layout.width` columns before styling.
 */
export function treeRow(model: TraceModel, layout: TreeLayout, i: number, look: RowLook, paint: Painter): string {
  const span = model.spans[i]!;
  const label = spanLabel(span, gutterOf(model, layout, i), paint);
  if (look.collapsed && hasChildren(model, i)) label.push({ text: ` ▸ +${model.subtreeEnd[i]! - i - 1}`, paint: paint.yellow });
  const row: Piece[] = [{ text: look.selected ? CURSOR : look.match ? '*' : ' ', paint: look.selected ? paint.bold : paint.yellow }];
  for (const piece of padPieces(fitPieces(label, layout.labelWidth), layout.labelWidth)) row.push(piece);
  if (layout.durationWidth > 0) {
    row.push({ text: GAP }, { text: padStartToWidth(layout.durations[i]!, layout.durationWidth), paint: span.error ? paint.red : undefined });
  }
  if (layout.barWidth > 0) {
    row.push({ text: GAP });
    const sections = look.critical ? (model.criticalSections.get(span.spanId) ?? []) : undefined;
    for (const run of barRuns(span, layout.timeline, sections)) row.push({ text: run.text, paint: barPaint(run, span, paint) });
  }
  if (!look.selected || !paint.color) return paintPieces(row);
  // Not paintPieces, which trims trailing blanks: the selection bar runs to the right edge.
  const painted = row.map((p) => (p.paint ? p.paint(p.text) : p.text)).join('');
  return inverse(painted + ' '.repeat(Math.max(0, layout.width - piecesWidth(row))));
}

/**
 * The gutter before a row, as render/tree-gutter.ts's computeGutters draws it for the whole
 * tree, but for one row: a pipe for each ancestor level whose ancestor has siblings still to
 * come, at most `maxGutterLevels` levels (deeper ones are `⋯`). It walks up those levels only.
 */
export function gutterOf(model: TraceModel, layout: TreeLayout, i: number): string {
  const depth = model.spans[i]!.depth;
  if (depth === 0) return '';
  const levels = Math.max(1, layout.maxGutterLevels);
  const from = Math.max(1, depth - levels + 1);
  const pipes: string[] = [];
  for (let a = model.parent[i]!, level = depth - 1; level >= from && a >= 0; a = model.parent[a]!, level--) {
    pipes.push(layout.last[a] ? GLYPH.blank : GLYPH.pipe);
  }
  const own = model.spans[i]!.inferredParent
    ? layout.last[i] ? GLYPH.inferredLastBranch : GLYPH.inferredBranch
    : layout.last[i] ? GLYPH.lastBranch : GLYPH.branch;
  return (from > 1 ? GLYPH.deep : '') + pipes.reverse().join('') + own;
}

/**
 * Reverse video over the whole row, kept through the row's own colour codes (they reset the
 * colour, never the inverse attribute), so the selection reads as a bar across the screen.
 */
function inverse(text: string): string {
  return `\u001b[7m${text}\u001b[27m`;
}
