import { formatDuration } from '../duration-text.js';

export { formatDuration };

/** Offset from the trace start: `+0ms`, `+12.3ms`, `+1.20s`; negative when a line precedes it. */
export function formatOffset(ms: number): string {
  if (ms < 0) return formatDuration(ms);
  return `+${formatDuration(ms)}`;
}

/** A signed shift such as a clock-skew adjustment: `+250ms`, `−750ms`. */
export function formatShift(ms: number): string {
  return ms < 0 ? formatDuration(ms) : `+${formatDuration(ms)}`;
}
