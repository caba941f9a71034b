import { formatDuration } from './duration.js';
import { GLYPH } from './glyphs.js';
import { displayWidth } from './text-width.js';

/** A run of bar cells drawn with one glyph, so the renderer can colour runs differently. */
export interface BarRun {
  text: string;
  kind: 'space' | 'bar' | 'offPath' | 'placeholder' | 'tick';
}

export interface BarSpan {
  startNs: bigint;
  endNs: bigint;
  placeholder: boolean;
}

export interface Timeline {
  startNs: bigint;
  endNs: bigint;
  /** Columns of the bar area. */
  width: number;
}

/**
 * The waterfall cells of one span: its interval scaled onto the timeline's columns. Cells are
 * whole columns: the start rounds down and the end up, so every span with a duration shows at
 * least one cell, and a span with none shows a tick. `critical` is undefined when the critical
 * path is unknown; otherwise it lists the sections of this span on the path (empty: none).
 */
export function barRuns(span: BarSpan, timeline: Timeline, critical?: ReadonlyArray<readonly [bigint, bigint]>): BarRun[] {
  const { width } = timeline;
  if (width <= 0) return [];
  const from = Math.min(column(span.startNs, timeline, 'floor'), width - 1);
  const lead: BarRun[] = from > 0 ? [{ kind: 'space', text: ' '.repeat(from) }] : [];
  if (span.endNs <= span.startNs) return [...lead, { kind: 'tick', text: GLYPH.tick }];
  const to = Math.min(Math.max(column(span.endNs, timeline, 'ceil'), from + 1), width);
  if (span.placeholder) return [...lead, run('placeholder', to - from)];
  if (!critical) return [...lead, run('bar', to - from)];
  // Per-cell only when sections must be overlaid: the common case stays allocation-light.
  const cells = new Array<BarRun['kind']>(to - from).fill('offPath');
  for (const [s, e] of critical) {
    const cs = Math.max(from, column(s, timeline, 'floor'));
    const ce = Math.min(to, Math.max(column(e, timeline, 'ceil'), cs + 1));
    for (let c = cs; c < ce; c++) cells[c - from] = 'bar';
  }
  return [...lead, ...toRuns(cells)];
}

function run(kind: BarRun['kind'], length: number): BarRun {
  return { kind, text: GLYPH_OF[kind].repeat(length) };
}

/**
 * The time axis over the bar area: `0` at the left, the total at the right edge, and quarter
 * marks between when there is room for them.
 */
export function axisLine(width: number, durationMs: number): string {
  if (width <= 0) return '';
  const chars = new Array<string>(width).fill(' ');
  const taken = new Array<boolean>(width).fill(false);
  // Ends first: they matter most; quarter marks only where they leave a gap around them.
  const ticks = width >= 30 ? [0, 1, 0.5, 0.25, 0.75] : [0, 1];
  for (const f of ticks) {
    const label = f === 0 ? '0' : formatDuration(durationMs * f);
    const w = displayWidth(label);
    if (w > width) continue;
    const start = f === 0 ? 0 : f === 1 ? width - w : Math.round(f * width) - Math.floor(w / 2);
    const lo = Math.max(0, start - 1);
    const hi = Math.min(width - 1, start + w);
    if (taken.slice(lo, hi + 1).some(Boolean)) continue;
    [...label].forEach((ch, k) => {
      chars[start + k] = ch;
      taken[start + k] = true;
    });
  }
  return chars.join('').trimEnd();
}

function column(ns: bigint, timeline: Timeline, mode: 'floor' | 'ceil'): number {
  const total = Number(timeline.endNs - timeline.startNs);
  if (total <= 0) return 0;
  const frac = Number(ns - timeline.startNs) / total;
  const col = mode === 'floor' ? Math.floor(frac * timeline.width) : Math.ceil(frac * timeline.width);
  return Math.min(timeline.width, Math.max(0, col));
}

const GLYPH_OF: Record<BarRun['kind'], string> = {
  space: ' ',
  bar: GLYPH.bar,
  offPath: GLYPH.barOffPath,
  placeholder: GLYPH.barPlaceholder,
  tick: GLYPH.tick,
};

function toRuns(cells: readonly BarRun['kind'][]): BarRun[] {
  const runs: BarRun[] = [];
  let start = 0;
  for (let i = 1; i <= cells.length; i++) {
    if (i === cells.length || cells[i] !== cells[start]) {
      runs.push(run(cells[start]!, i - start));
      start = i;
    }
  }
  return runs;
}
