import type { ScanStats, Span, Trace } from '../types.js';
import { formatDuration } from './duration.js';
import { errorOriginNote } from './error-origin-note.js';
import { GLYPH, GUTTER_STEP } from './glyphs.js';
import { makePainter, type Painter } from './palette.js';
import { fitPieces, paintPieces, piecesWidth, type Piece } from './pieces.js';
import type { RenderOptions } from './render-options.js';
import { offsetColumnWidth, spanLogLines } from './span-log-lines.js';
import { spanLabel } from './span-label.js';
import { displayWidth, padStartToWidth } from './text-width.js';
import { computeGutters } from './tree-gutter.js';
import { treeHeader } from './tree-header.js';
import { treeLegend } from './tree-legend.js';
import { axisLine, barRuns, type BarRun, type Timeline } from './waterfall.js';

/** Blank columns between the label, duration and bar columns. */
export const GAP = '  ';
/** Below this many columns for the bar, the waterfall says too little to be worth its space. */
const MIN_BAR = 16;
/** The most of the width the label column takes when its labels need it. */
const LABEL_SHARE = 0.65;

export interface Layout {
  labelWidth: number;
  durationWidth: number;
  /** 0 when there is no room for a waterfall. */
  barWidth: number;
  maxGutterLevels: number;
}

/**
 * `show`'s default view: a header, then one row per span in tree order with a box-drawn gutter,
 * service, name, markers, duration and a waterfall bar. Pure: the same trace and options always
 * give the same text, and no line is wider than `options.width`. The interactive view (src/tui/)
 * lays its rows out with the same exported column functions.
 */
export function renderTree(trace: Trace, stats: ScanStats, options: RenderOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  const width = Number.isFinite(options.width) ? Math.max(1, Math.floor(options.width)) : 100;
  const lines = treeHeader(trace, stats, width, paint);
  lines.push('');
  if (trace.spans.length === 0) {
    lines.push(paint.dim('(no spans)'));
    return lines.join('\n') + '\n';
  }

  const durations = trace.spans.map(durationText);
  const columns = computeColumns(durations, width);
  const gutters = computeGutters(trace.spans, columns.maxGutterLevels);
  const labels = trace.spans.map((span, i) => spanLabel(span, gutters[i]!.row, paint));
  // Measured once: a 100 000-span trace would otherwise measure every label three times.
  const labelWidths = labels.map(piecesWidth);
  const layout = fitLabelColumn(columns, labelWidths, width);
  const timeline: Timeline = { startNs: trace.startNs, endNs: trace.endNs, width: layout.barWidth };
  const criticalShown = options.criticalPath !== undefined || options.criticalSections !== undefined;
  const offsetWidth = options.logs ? offsetColumnWidth(trace) : 0;

  if (layout.barWidth > 0) {
    const indent = layout.labelWidth + GAP.length + layout.durationWidth + GAP.length;
    lines.push(paint.dim(' '.repeat(indent) + axisLine(layout.barWidth, trace.durationMs)));
  }
  trace.spans.forEach((span, i) => {
    const fits = labelWidths[i]! <= layout.labelWidth;
    const row: Piece[] = fits ? [...labels[i]!] : fitPieces(labels[i]!, layout.labelWidth);
    const pad = layout.labelWidth - (fits ? labelWidths[i]! : piecesWidth(row));
    if (pad > 0) row.push({ text: ' '.repeat(pad) });
    if (layout.durationWidth > 0) {
      row.push({ text: GAP }, { text: padStartToWidth(durations[i]!, layout.durationWidth), paint: span.error ? paint.red : undefined });
    }
    if (layout.barWidth > 0) {
      row.push({ text: GAP });
      const critical = criticalSectionsOf(span, options);
      for (const run of barRuns(span, timeline, critical)) row.push({ text: run.text, paint: barPaint(run, span, paint) });
    }
    lines.push(paintPieces(row));
    if (options.logs && span.records.length > 0) {
      // A loop, not a spread: a span can hold more lines than a call takes arguments.
      for (const line of spanLogLines(span.records, trace, gutters[i]!.below, offsetWidth, width, paint)) lines.push(line);
    }
  });
  const loose = trace.unattachedErrors ?? [];
  if (options.logs && loose.length > 0) {
    lines.push(paint.red(`${GLYPH.error} not on any span:`));
    for (const line of spanLogLines(loose.map((u) => u.record), trace, '', offsetWidth, width, paint)) lines.push(line);
  }

  const origin = errorOriginNote(trace, width, paint);
  if (origin.length > 0) lines.push('');
  for (const line of origin) lines.push(line);
  const legend = treeLegend(trace, criticalShown, width, paint);
  if (legend.length > 0) lines.push('');
  for (const line of legend) lines.push(line);
  return lines.join('\n') + '\n';
}

export function durationText(span: Span): string {
  // A placeholder's interval is only what its children cover: at least this long.
  return span.placeholder ? `≥${formatDuration(span.durationMs)}` : formatDuration(span.durationMs);
}

export interface Columns {
  durationWidth: number;
  withBar: boolean;
  labelBudget: number;
  maxGutterLevels: number;
}

/**
 * Column budget before the labels are known: labels get what they need up to LABEL_SHARE of the
 * width, the bar the rest (at least MIN_BAR), so a name is cut only when the bar would otherwise
 * shrink below its minimum or the label would take more than its share.
 */
export function computeColumns(durations: readonly string[], width: number): Columns {
  let durationWidth = durations.reduce((w, d) => Math.max(w, displayWidth(d)), 0);
  // Too narrow for a duration column beside a readable label: show labels only.
  if (width - durationWidth - GAP.length < 12) durationWidth = 0;
  const besideLabel = durationWidth > 0 ? durationWidth + GAP.length : 0;
  const withBar = width - besideLabel - GAP.length - MIN_BAR >= 24;
  const labelBudget = withBar ? Math.min(width - besideLabel - GAP.length - MIN_BAR, Math.floor(width * LABEL_SHARE)) : width - besideLabel;
  // The gutter may take at most half the label column; deeper ancestry is elided.
  const maxGutterLevels = Math.max(1, Math.floor((labelBudget / 2 - GLYPH.deep.length) / GUTTER_STEP));
  return { durationWidth, withBar, labelBudget, maxGutterLevels };
}

/** The label column is as wide as the widest label (widths given), within budget; the bar takes the rest. */
export function fitLabelColumn(columns: Columns, labelWidths: readonly number[], width: number): Layout {
  let natural = 0;
  for (const w of labelWidths) if (w > natural) natural = w;
  const labelWidth = Math.min(natural, columns.labelBudget);
  const besideLabel = columns.durationWidth > 0 ? columns.durationWidth + GAP.length : 0;
  const barWidth = columns.withBar ? width - labelWidth - besideLabel - GAP.length : 0;
  return { labelWidth, durationWidth: columns.durationWidth, barWidth, maxGutterLevels: columns.maxGutterLevels };
}

function criticalSectionsOf(span: Span, options: RenderOptions): ReadonlyArray<readonly [bigint, bigint]> | undefined {
  const sections = options.criticalSections?.get(span.spanId);
  if (sections) return sections;
  if (options.criticalPath?.has(span.spanId)) return [[span.startNs, span.endNs]];
  if (options.criticalPath || options.criticalSections) return [];
  return undefined;
}

export function barPaint(run: BarRun, span: Span, paint: Painter): ((s: string) => string) | undefined {
  switch (run.kind) {
    case 'space':
      return undefined;
    case 'offPath':
    case 'placeholder':
      return paint.dim;
    default:
      return span.error ? paint.red : paint.service(span.service);
  }
}
