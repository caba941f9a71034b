import type { Trace } from '../types.js';
import { GLYPH } from './glyphs.js';
import type { Painter } from './palette.js';
import { wrapToWidth } from './text-width.js';

/**
 * Explains the symbols a reader cannot guess, and only those that appear: inferred edges,
 * placeholders, and the critical-path shading.
 */
export function treeLegend(trace: Trace, criticalPathShown: boolean, width: number, paint: Painter): string[] {
  const items: string[] = [];
  if (trace.spans.some((s) => s.inferredParent && s.depth > 0)) items.push(`${GLYPH.inferredBranch.trim()} parent inferred from timing`);
  if (trace.spans.some((s) => s.placeholder)) items.push(`${GLYPH.placeholder} referenced as a parent, no line of its own`);
  if (criticalPathShown) items.push(`${GLYPH.bar} on the critical path, ${GLYPH.barOffPath} off it`);
  if (items.length === 0) return [];
  return wrapToWidth(`legend: ${items.join(' · ')}`, width, '        ').map((line) => paint.dim(line));
}
