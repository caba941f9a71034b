// The words every diff output shares: the one-line summary, how a side and a group are named,
// the noise threshold. Plain text, not yet sanitised: each renderer escapes for its medium.
import type { DiffNode, DiffReport, DiffSide, NoiseThreshold } from '../analyse/trace-diff.js';
import { formatDuration, formatShift } from './duration.js';

/** `payment-service:processor.authorize`, as the summary names a group; a call adds whom it calls. */
export function groupName(node: Pick<DiffNode, 'service' | 'name' | 'callee'>): string {
  return `${node.service}:${node.name}${node.callee === null ? '' : ` → ${node.callee}`}`;
}

/** `20%, 1ms`. */
export function thresholdText(t: NoiseThreshold): string {
  // Whole milliseconds as typed (`1ms`), not in the columns' one-decimal form.
  return `${roundTo(t.ratio * 100, 2)}%, ${Number.isInteger(t.ms) ? `${t.ms}ms` : formatDuration(t.ms)}`;
}

/** What the sentence calls each side: A and B, or the baseline and the trace. */
function subjects(report: DiffReport): { a: string; b: string; than: string } {
  return report.a.baselineTraces === undefined ? { a: 'A', b: 'B', than: '' } : { a: 'the baseline', b: 'the trace', than: ' than the baseline' };
}

/**
 * `B is 1.80s slower: 1.60s of it in payment-service:processor.authorize (+1.50s self)`; within
 * noise, how many groups changed anyway; with nothing beyond noise, that nothing changed.
 */
export function summaryLine(report: DiffReport): string {
  const { diff } = report;
  const who = subjects(report);
  const B = capitalise(who.b);
  if (diff.duration !== null) {
    const word = diff.durationChangeMs > 0 ? 'slower' : 'faster';
    const head = `${B} is ${formatDuration(Math.abs(diff.durationChangeMs))} ${word}${who.than}`;
    const lead = diff.lead;
    if (lead === null || Math.sign(lead.contributionMs) !== Math.sign(diff.durationChangeMs)) return head;
    return `${head}: ${formatDuration(Math.abs(lead.contributionMs))} of it in ${groupName(lead.node)} (${formatShift(lead.selfChangeMs)} self)`;
  }
  const took = `${formatDuration(diff.bDurationMs)} vs ${formatDuration(diff.aDurationMs)}`;
  if (!diff.changed) return `no change: ${who.b} matches ${who.a} within the noise threshold (${thresholdText(diff.threshold)}; ${took})`;
  const groups = diff.changedCount === 1 ? '1 span group changed' : `${diff.changedCount} span groups changed`;
  return `${B} takes as long as ${who.a} within noise (${took}), but ${groups}`;
}

/** `1.04s · 25 spans · no errors`, and for a baseline how many traces it is the median of. */
export function sideFacts(side: DiffSide): string {
  const errors = side.errorCount === 0 ? 'no errors' : side.errorCount === 1 ? '1 error' : `${side.errorCount} errors`;
  const facts = `${formatDuration(side.durationMs)} · ${side.spanCount} spans · ${errors}`;
  if (side.baselineTraces === undefined) return facts;
  const traces = side.baselineTraces === 1 ? '1 trace' : `${side.baselineTraces} traces`;
  return `median of ${traces} of ${side.rootService ?? '?'} ${side.rootName ?? '?'} · ${facts}`;
}

/** The side's id, or `baseline`. */
export function sideName(side: DiffSide): string {
  return side.traceId ?? 'baseline';
}

/** `+75%`, or '' when there is nothing to compare with. */
export function percentChange(node: DiffNode): string {
  if (node.a === null || node.b === null || node.a.totalMs <= 0) return '';
  const pct = (node.totalChangeMs / node.a.totalMs) * 100;
  const rounded = Math.round(pct);
  return rounded === 0 ? '0%' : `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)}%`;
}

/** ` ×3`, ` ×1→×2` when the number of repeats changed, '' for a single span on both sides. */
export function countText(node: DiffNode): string {
  const a = node.a?.count;
  const b = node.b?.count;
  if (a !== undefined && b !== undefined && a !== b) return ` ×${a}→×${b}`;
  const n = a ?? b ?? 1;
  return n > 1 ? ` ×${n}` : '';
}

/**
 * What changed about a group, in words: `new`, `gone`, `✖ now failing`, `onto the critical
 * path`…; `short` gives the forms for a narrow column.
 */
export function changeWords(node: DiffNode, short = false): string[] {
  const words: string[] = [];
  if (node.a === null) words.push('new');
  if (node.b === null) words.push('gone');
  if (node.errorChange === 'now-failing') words.push(short ? '✖ fails' : '✖ now failing');
  if (node.errorChange === 'no-longer-failing') words.push(short ? '✔ ok' : '✔ no longer failing');
  if (node.criticalPath === 'joined') words.push(short ? 'onto path' : 'onto the critical path');
  if (node.criticalPath === 'left') words.push(short ? 'off path' : 'off the critical path');
  return words;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
