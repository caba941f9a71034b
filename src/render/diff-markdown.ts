// `diff --format markdown`: for a CI job summary. The summary as a heading, both sides, the
// groups that changed as a table (indented by depth), the services whose self time changed, and
// where the critical path moved. Cell text is escaped so log content cannot break the table.
import type { DiffNode, DiffReport } from '../analyse/trace-diff.js';
import { changeWords, countText, groupName, percentChange, sideFacts, sideName, summaryLine, thresholdText } from './diff-summary.js';
import { formatDuration, formatShift } from './duration.js';
import { sanitize } from './sanitize.js';

/** Deeper groups are indented as this deep. */
const MAX_INDENT = 12;

export function renderDiffMarkdown(report: DiffReport): string {
  const { diff } = report;
  const out = [`### mcp-trace diff: ${cell(summaryLine(report))}`, ''];
  out.push(`- A \`${code(sideName(report.a))}\`: ${cell(sideFacts(report.a))}`);
  out.push(`- B \`${code(sideName(report.b))}\`: ${cell(sideFacts(report.b))}`);
  out.push(`- changes beyond ${cell(thresholdText(diff.threshold))}: ${diff.changedCount} of ${diff.nodes.length} span groups changed`, '');
  const shown = diff.nodes.filter((n) => n.changed || n.changedBelow);
  if (shown.length > 0) {
    out.push('| span | A | B | change | | self | what changed |', '|---|--:|--:|--:|--:|--:|---|');
    for (const node of shown) {
      // Capped like the terminal's gutter: a 100 000-deep chain must not make rows of megabytes.
      const indent = '&nbsp;&nbsp;'.repeat(Math.min(node.depth, MAX_INDENT));
      const label = `${indent}${node.changed ? '' : '_'}${cell(`${node.service} ${node.name}${countText(node)}`)}${node.changed ? '' : '_'}`;
      const words = [...changeWords(node), ...(node.duration ? [node.duration] : []), ...(node.countChanged ? ['repeats'] : [])];
      out.push(`| ${label} | ${ms(node.a?.totalMs)} | ${ms(node.b?.totalMs)} | ${formatShift(node.totalChangeMs)} | ${percentChange(node)} | ${formatShift(node.selfChangeMs)} | ${cell(words.join(', '))} |`);
    }
    out.push('');
  }
  const services = diff.services.filter((s) => s.changed);
  if (services.length > 0) {
    out.push('| service | self A | self B | change |', '|---|--:|--:|--:|');
    for (const s of services) out.push(`| ${cell(s.service)} | ${formatDuration(s.aSelfMs)} | ${formatDuration(s.bSelfMs)} | ${formatShift(s.changeMs)} |`);
    out.push('');
  } else {
    out.push('Self time per service: no change beyond noise.', '');
  }
  const moved = (n: DiffNode) => n.criticalPath !== null;
  const onto = diff.nodes.filter((n) => moved(n) && n.criticalPath === 'joined').map((n) => cell(groupName(n)));
  const off = diff.nodes.filter((n) => moved(n) && n.criticalPath === 'left').map((n) => cell(groupName(n)));
  if (onto.length === 0 && off.length === 0) out.push('Critical path: it did not move.');
  else {
    if (onto.length > 0) out.push(`- onto the critical path in B: ${onto.join(', ')}`);
    if (off.length > 0) out.push(`- off the critical path in B: ${off.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

function ms(value: number | undefined): string {
  return value === undefined ? '—' : formatDuration(value);
}

function cell(text: string): string {
  // As in check's markdown: one line, controls shown as escapes, markdown's own characters escaped.
  return sanitize(text.replace(/[\n\r\t]/g, ' '))
    .replace(/[\\`*_[\]<>|#&]/g, (c) => `\\${c}`)
    .trim();
}

function code(text: string): string {
  return sanitize(text.replace(/[`\u0000-\u001f]/g, ''));
}
