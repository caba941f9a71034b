import { UsageError } from '../../errors.js';
import type { ScanStats } from '../../types.js';

// One line is held whole in memory until its newline arrives, so without a limit a file, pipe or
// decompressor that never sends one (/dev/zero, a gzip bomb, a file grown while it is read) makes
// memory grow without end. Every line splitter (file-range.ts, ../line-scanner.ts, ../follow.ts)
// drops a line beyond this limit up to its next newline and counts it as malformed.

export const DEFAULT_MAX_LINE_BYTES = 16 << 20;
/**
 * Reads are at most 1 MiB, so with a limit at least that large every line beyond it is caught
 * wherever it starts: the splitters only measure the line they carry from one read into the next.
 */
export const MIN_MAX_LINE_BYTES = 1 << 20;
const MAX_MAX_LINE_BYTES = 1 << 30;
export const MAX_LINE_ENV = 'MCP_TRACE_MAX_LINE_BYTES';

let cached: number | undefined;

/** The limit in bytes, from MCP_TRACE_MAX_LINE_BYTES (`16MiB`, `64m`, `2097152`) or the default. */
export function maxLineBytes(): number {
  return (cached ??= parseLimit(process.env[MAX_LINE_ENV]));
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_LINE_BYTES;
  const m = /^\s*(\d+)\s*([kmg]?)(?:i?b)?\s*$/i.exec(value);
  const bytes = m ? Number(m[1]) * ({ '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 } as Record<string, number>)[m[2]!.toLowerCase()]! : NaN;
  if (!(bytes >= MIN_MAX_LINE_BYTES && bytes <= MAX_MAX_LINE_BYTES)) {
    throw new UsageError(`${MAX_LINE_ENV} takes a size from 1MiB to 1GiB (such as 64MiB), not '${value}'`);
  }
  return bytes;
}

/** "16 MiB": the limit as messages name it. */
export function describeLineLimit(bytes = maxLineBytes()): string {
  return bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : `${bytes} bytes`;
}

/** Counts one line skipped for its length: malformed, and said why. */
export function countLongLine(stats: ScanStats): void {
  stats.malformedLines++;
  stats.longLines = (stats.longLines ?? 0) + 1;
}
