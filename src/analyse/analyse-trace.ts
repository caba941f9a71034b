import type { Trace } from '../types.js';
import { adjustClockSkew } from './clock-skew.js';
import { DEFAULT_MAX_SKEW_MS } from './skew-default.js';

export interface SkewChoice {
  /** Adjust for clock skew (`--no-skew-adjust` turns it off). */
  adjust: boolean;
  maxSkewMs: number;
}

export const DEFAULT_SKEW: SkewChoice = { adjust: true, maxSkewMs: DEFAULT_MAX_SKEW_MS };

/**
 * The analysis every command applies to an assembled trace before it reports on it, so that
 * `show`, `traces`, `check` and `mcp` give the same durations: today, the clock-skew adjustment.
 */
export function analyseTrace(trace: Trace, skew: SkewChoice = DEFAULT_SKEW): Trace {
  return skew.adjust ? adjustClockSkew(trace, { maxSkewMs: skew.maxSkewMs }) : trace;
}
