// `diff` for people: the summary line, both sides, then the tree of what changed (groups that
// changed and their ancestors; unchanged groups are counted, not drawn), the self time per
// service and the critical paths. Fitted to the width; colour only says what the words say.
import type { DiffNode, DiffReport, PathStep, ServiceChange } from '../analyse/trace-diff.js';
import { changeWords, countText, groupName, percentChange, sideFacts, sideName, summaryLine, thresholdText } from './diff-summary.js';
import { formatDuration, formatShift } from './duration.js';
import { makePainter, type Painter } from './palette.js';
import { sanitize } from './sanitize.js';
import { displayWidth, padEndToWidth, padStartToWidth, truncateToWidth, wrapToWidth } from './text-width.js';
import { computeGutters } from './tree-gutter.js';

export interface DiffTreeOptions {
  color: boolean;
  colorLevel?: 1 | 2 | 3;
  width: number;
}

/** Deeper ancestry than this is drawn as `⋯` in the gutter. */
const GUTTER_LEVELS = 12;
/** The label column never gets less than this, whatever the width. */
const MIN_LABEL = 24;
const NUMBER_HEADS = ['A', 'B', 'change', '', 'self'] as const;
/** Between the groups of a critical path. */
const PATH_SEPARATOR = '›';

export function renderDiffTree(report: DiffReport, options: DiffTreeOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  const { diff } = report;
  const out: string[] = [];
  out.push(paint.bold(sanitize(truncateToWidth(summaryLine(report), Math.max(options.width, 40) * 3))));
  out.push(`A ${sanitize(sideName(report.a))} · ${sanitize(sideFacts(report.a))}`);
  out.push(`B ${sanitize(sideName(report.b))} · ${sanitize(sideFacts(report.b))}`);
  const shown = diff.nodes.filter((n) => n.changed || n.changedBelow);
  const hidden = diff.nodes.length - shown.length;
  out.push(paint.dim(`changes beyond ${thresholdText(diff.threshold)} · ${diff.changedCount} of ${diff.nodes.length} span groups changed${hidden > 0 ? `, ${hidden} unchanged not drawn` : ''}`));
  if (shown.length > 0) out.push('', ...treeRows(shown, paint, options.width));
  out.push('', ...serviceRows(diff.services, paint, options.width));
  out.push('', ...pathRows(report, paint, options.width));
  return out.join('\n') + '\n';
}

interface Row {
  node: DiffNode;
  gutter: string;
  numbers: string[];
}

/** Columns that give way, in order, when the labels do not fit: the percentage, then self time. */
const DROPPABLE = [3, 4];

/**
 * Label (gutter, service, name, repeats), the numbers, then what changed in words. When the width
 * is short the words take their short forms, then the percentage and self-time columns go, then
 * the names are cut.
 */
function treeRows(nodes: readonly DiffNode[], paint: Painter, width: number): string[] {
  const gutters = computeGutters(nodes.map((n) => ({ depth: n.depth, inferredParent: false })), GUTTER_LEVELS);
  const rows: Row[] = nodes.map((node, i) => ({ node, gutter: gutters[i]!.row, numbers: numbersOf(node) }));
  const natural = Math.max(...rows.map((r) => displayWidth(plainLabel(r))));
  const wordsWidth = (short: boolean) => Math.max(0, ...rows.map((r) => displayWidth(wordsOf(r.node, short))));
  let columns = NUMBER_HEADS.map((_, c) => c);
  const numbersWidth = () => columns.reduce((sum, c) => sum + 2 + Math.max(NUMBER_HEADS[c]!.length, ...rows.map((r) => displayWidth(r.numbers[c]!))), 0);
  let short = natural + numbersWidth() + wordsWidth(false) > width;
  for (const c of DROPPABLE) if (natural + numbersWidth() + wordsWidth(short) > width) columns = columns.filter((x) => x !== c);
  const widths = new Map(columns.map((c) => [c, Math.max(NUMBER_HEADS[c]!.length, ...rows.map((r) => displayWidth(r.numbers[c]!)))]));
  const labelWidth = Math.max(MIN_LABEL, Math.min(natural, width - numbersWidth() - Math.min(wordsWidth(short), 12)));
  short = short || labelWidth + numbersWidth() + wordsWidth(false) > width;
  const head = padEndToWidth('', labelWidth) + columns.map((c) => '  ' + padStartToWidth(NUMBER_HEADS[c]!, widths.get(c)!)).join('');
  const lines = [paint.dim(head.trimEnd())];
  const wordsRoom = Math.max(0, width - labelWidth - numbersWidth() - 2);
  for (const row of rows) {
    const numbers = columns.map((c) => '  ' + paintNumber(row.node, c, padStartToWidth(row.numbers[c]!, widths.get(c)!), paint)).join('');
    const words = truncateToWidth(wordsOf(row.node, short), wordsRoom);
    lines.push((paintLabel(row, labelWidth, paint) + numbers + (words === '' ? '' : '  ' + paintWords(row.node, words, paint))).trimEnd());
  }
  return lines;
}

function wordsOf(node: DiffNode, short: boolean): string {
  return changeWords(node, short).join(', ');
}

/** A, B, change, percent, self change: the groups' totals (a missing side is `—`). */
function numbersOf(node: DiffNode): string[] {
  return [
    node.a === null ? '—' : formatDuration(node.a.totalMs),
    node.b === null ? '—' : formatDuration(node.b.totalMs),
    formatShift(node.totalChangeMs),
    percentChange(node),
    formatShift(node.selfChangeMs),
  ];
}

function paintNumber(node: DiffNode, column: number, text: string, paint: Painter): string {
  if (column < 2) return text;
  if (!node.changed) return paint.dim(text);
  if (column === 2 || column === 3) return node.duration === 'grew' ? paint.red(text) : node.duration === 'shrank' ? paint.green(text) : paint.dim(text);
  return text;
}

/** The label as plain text, for measuring. */
function plainLabel(row: Row): string {
  return `${row.gutter}${sanitize(row.node.service)} ${sanitize(row.node.name)}${countText(row.node)}`;
}

/** Gutter, service, name and repeats, cut to the column: the name gives way first, the service last. */
function paintLabel(row: Row, width: number, paint: Painter): string {
  const { node } = row;
  const service = sanitize(node.service);
  const count = countText(node);
  const fixed = displayWidth(row.gutter) + displayWidth(service) + 1 + displayWidth(count);
  const name = truncateToWidth(sanitize(node.name), Math.max(4, width - fixed));
  const plain = `${row.gutter}${service} ${name}${count}`;
  if (displayWidth(plain) > width) return padEndToWidth(truncateToWidth(plain, width), width);
  const painted = `${paint.dim(row.gutter)}${paint.service(node.service)(service)} ${node.changed ? name : paint.dim(name)}${node.countChanged ? paint.yellow(count) : count}`;
  return painted + ' '.repeat(Math.max(0, width - displayWidth(plain)));
}

function paintWords(node: DiffNode, text: string, paint: Painter): string {
  if (text === '') return '';
  if (node.errorChange === 'now-failing') return paint.red(text);
  if (node.errorChange === 'no-longer-failing') return paint.green(text);
  return paint.yellow(text);
}

function serviceRows(services: readonly ServiceChange[], paint: Painter, width: number): string[] {
  const changed = services.filter((s) => s.changed);
  if (changed.length === 0) return [`self time per service: no change beyond noise (${services.length} services)`];
  const names = changed.map((s) => sanitize(s.service));
  const cells = changed.map((s) => [formatDuration(s.aSelfMs), formatDuration(s.bSelfMs), formatShift(s.changeMs)]);
  const heads = ['A', 'B', 'change'];
  const widths = heads.map((h, c) => Math.max(h.length, ...cells.map((row) => displayWidth(row[c]!))));
  const nameWidth = Math.max(12, Math.min(Math.max(...names.map(displayWidth), 'self time per service'.length), width - widths.reduce((s, w) => s + w + 2, 0)));
  const lines = [paint.bold(padEndToWidth('self time per service', nameWidth)) + paint.dim(heads.map((h, c) => '  ' + padStartToWidth(h, widths[c]!)).join(''))];
  changed.forEach((s, i) => {
    const name = padEndToWidth(truncateToWidth(names[i]!, nameWidth), nameWidth);
    const change = padStartToWidth(cells[i]![2]!, widths[2]!);
    lines.push(`${paint.service(s.service)(name)}  ${padStartToWidth(cells[i]![0]!, widths[0]!)}  ${padStartToWidth(cells[i]![1]!, widths[1]!)}  ${s.changeMs > 0 ? paint.red(change) : paint.green(change)}`);
  });
  const same = services.length - changed.length;
  if (same > 0) lines.push(paint.dim(`${same} more within noise`));
  return lines;
}

/** Each side's critical path, wrapped, then the groups that moved onto it or off it. */
function pathRows(report: DiffReport, paint: Painter, width: number): string[] {
  const { diff } = report;
  const lines = [paint.bold('critical path')];
  const chain = (steps: readonly PathStep[]) => steps.map((s) => `${groupName(s.node)} ${formatDuration(s.criticalMs)}`).join(` ${PATH_SEPARATOR} `);
  const onto = diff.nodes.filter((n) => n.criticalPath === 'joined');
  const off = diff.nodes.filter((n) => n.criticalPath === 'left');
  const same = chain(diff.criticalPathA) === chain(diff.criticalPathB);
  const sides = same ? ([['A and B', diff.criticalPathA]] as const) : ([['A', diff.criticalPathA], ['B', diff.criticalPathB]] as const);
  for (const [label, steps] of sides) lines.push(...wrapToWidth(sanitize(`${label}: ${chain(steps)}`), width, '   ').map((l) => paint.dim(l)));
  if (onto.length === 0 && off.length === 0) {
    lines.push('it did not move: the same span groups decide both durations');
    return lines;
  }
  const list = (nodes: readonly DiffNode[], side: 'a' | 'b') => nodes.map((n) => `${groupName(n)} (${formatDuration(n[side]?.criticalMs ?? 0)})`).join(', ');
  if (onto.length > 0) lines.push(...wrapToWidth(sanitize(`onto it in B: ${list(onto, 'b')}`), width, '   '));
  if (off.length > 0) lines.push(...wrapToWidth(sanitize(`off it in B: ${list(off, 'a')}`), width, '   '));
  return lines;
}
