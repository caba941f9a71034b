import type { CriticalShare } from '../analyse/critical-path.js';
import { formatDuration } from './duration.js';
import { makePainter } from './palette.js';
import { sanitize } from './sanitize.js';
import { formatShare } from './stats-table.js';
import { displayWidth, padStartToWidth, truncateToWidth } from './text-width.js';

export interface CriticalPathOptions {
  color: boolean;
  colorLevel?: 1 | 2 | 3;
  /** The trace's duration, for the heading. */
  traceDurationMs: number;
  /** Columns available (100 when piped); long names are cut to fit. */
  width?: number;
}

/**
 * `show --critical-path`: the spans that decided the trace's duration, in tree order and indented
 * by depth, each with its time on the path and its share of the whole trace.
 */
export function renderCriticalPath(shares: readonly CriticalShare[], options: CriticalPathOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  const width = Math.max(20, Math.floor(options.width ?? 100));
  const onPathMs = shares.reduce((sum, s) => sum + s.criticalMs, 0);
  const lines = [
    paint.bold(
      `Critical path: ${shares.length} span${shares.length === 1 ? '' : 's'}, ` +
        `${formatDuration(onPathMs)} of ${formatDuration(options.traceDurationMs)}`,
    ),
  ];
  if (shares.length === 0) return lines.concat(paint.dim('(no spans on the path)')).join('\n') + '\n';

  const times = shares.map((s) => formatDuration(s.criticalMs));
  const pcts = shares.map((s) => formatShare(s.share));
  // Reductions, not spreads: the path of a large trace has more spans than a call takes arguments.
  const timeWidth = times.reduce((w, t) => Math.max(w, displayWidth(t)), 4);
  const pctWidth = pcts.reduce((w, p) => Math.max(w, displayWidth(p)), 6);
  const minDepth = shares.reduce((d, s) => Math.min(d, s.depth), Infinity);
  lines.push(paint.dim(`${padStartToWidth('share', pctWidth)}  ${padStartToWidth('time', timeWidth)}  span`));
  shares.forEach((s, i) => {
    const prefix = `${padStartToWidth(pcts[i]!, pctWidth)}  ${padStartToWidth(times[i]!, timeWidth)}  `;
    // Indentation is capped so a deep chain still leaves room for the names.
    const indent = '  '.repeat(Math.min(s.depth - minDepth, 20));
    const service = sanitize(s.service);
    const room = width - displayWidth(prefix) - indent.length;
    const label = truncateToWidth(`${service} ${sanitize(s.name)}`, Math.max(8, room));
    const serviceShown = label.startsWith(service) ? service : '';
    const rest = label.slice(serviceShown.length);
    lines.push(prefix + indent + paint.service(s.service)(serviceShown) + rest);
  });
  return lines.join('\n') + '\n';
}
