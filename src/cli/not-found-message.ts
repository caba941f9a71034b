import { describeLineLimit, MAX_LINE_ENV } from '../sources/scan/line-limit.js';
import type { ScanStats } from '../types.js';

/**
 * "trace … not found in …" for files and standard input, saying what was read: an empty input
 * (nothing to search, often the wrong file or a pipe that failed) reads differently from a search
 * that found nothing, and lines skipped for their length are named with the limit that cut them.
 */
export function localNotFoundMessage(traceId: string, description: string, stats: ScanStats): string {
  if (stats.linesRead === 0) return `trace ${traceId} not found: ${description} had no lines (the input was empty)`;
  // Every line is one byte, its newline, only when they are all empty.
  if (stats.bytesRead <= stats.linesRead && stats.malformedLines === 0) {
    return `trace ${traceId} not found: ${description} had no lines, only ${stats.linesRead} empty ${stats.linesRead === 1 ? 'one' : 'ones'}`;
  }
  const long = stats.longLines ?? 0;
  const malformed = stats.malformedLines
    ? `, ${stats.malformedLines} malformed${long ? `, of which ${long} longer than ${describeLineLimit()} (the line limit; ${MAX_LINE_ENV} raises it)` : ''}`
    : '';
  return `trace ${traceId} not found in ${description} (${stats.linesRead} lines read${malformed})`;
}
