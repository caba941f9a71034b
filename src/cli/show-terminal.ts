import { criticalPathShares, criticalSectionsBySpan } from '../analyse/critical-path.js';
import { traceStats } from '../analyse/stats.js';
import { renderCriticalPath } from '../render/critical-path.js';
import { renderLogs } from '../render/logs.js';
import { renderStats } from '../render/stats-table.js';
import { renderTree } from '../render/tree.js';
import { sanitize } from '../render/sanitize.js';
import { chooseColour } from './colour.js';
import type { ShowResult } from './show-outputs.js';
import { outputWidth } from './terminal.js';

export interface TerminalShowOptions {
  format: 'tree' | 'logs';
  logs?: boolean;
  criticalPath?: boolean;
  stats?: boolean;
  color?: boolean;
  width?: number;
}

/**
 * `show` for people: the tree (or the merged lines), with the critical path drawn in, plus the
 * optional listings. Kept apart from the command so that `--json` and the exports never load
 * the colour, width and table libraries this needs.
 */
export function renderForTerminal({ trace, stats, critical: sections, exploreUrl }: ShowResult, options: TerminalShowOptions): string {
  const colour = chooseColour(options.color);
  const width = options.width ?? outputWidth();
  const render = { ...colour, width, logs: options.logs, criticalSections: criticalSectionsBySpan(sections) };
  let out = options.format === 'logs' ? renderLogs(trace, render) : renderTree(trace, stats, render);
  if (options.criticalPath) {
    out += '\n' + renderCriticalPath(criticalPathShares(trace, sections), { ...colour, width, traceDurationMs: trace.durationMs });
  }
  if (options.stats) out += '\n' + renderStats(traceStats(trace), { ...colour, width });
  // Whole, never cut to the width: a terminal makes a long URL clickable only when it is one piece.
  if (exploreUrl !== undefined) out += `\nGrafana Explore: ${sanitize(exploreUrl)}\n`;
  return out;
}
