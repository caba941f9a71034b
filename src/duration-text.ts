// How every command writes a duration for people: `show`'s rows, `check`'s failures, `tail`'s
// fields, `traces`' table. Top-level, not in render/, because `check` (an earlier stage than
// render) words its assertion results itself; render/duration.ts passes it on.

/**
 * Compact, stable duration text for columns: `0ms`, `40µs`, `0.4ms`, `12.3ms`, `750ms`, `1.20s`,
 * `12.34s`, `2m03s`, `1h02m`. The unit is chosen after rounding, so 999.96ms reads `1.00s`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 0) return `−${formatDuration(-ms)}`;
  if (ms === 0) return '0ms';
  if (ms < 0.05) return `${Math.max(1, Math.round(ms * 1000))}µs`;
  if (round(ms, 1) < 100) return `${round(ms, 1).toFixed(1)}ms`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (round(s, 2) < 60) return `${round(s, 2).toFixed(2)}s`;
  const totalSeconds = Math.round(s);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m${pad2(totalSeconds % 60)}s`;
  }
  const totalMinutes = Math.round(s / 60);
  return `${Math.floor(totalMinutes / 60)}h${pad2(totalMinutes % 60)}m`;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
