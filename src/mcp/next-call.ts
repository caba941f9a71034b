import { z } from 'zod';

/**
 * The exact call that returns what a capped result left out: a client (or the agent) sends it
 * as it is, `{tool, arguments}`.
 */
export interface NextCall {
  tool: string;
  arguments: Record<string, unknown>;
}

export const nextCallSchema = z.object({ tool: z.string(), arguments: z.record(z.string(), z.unknown()) });

/** The call with its arguments as given (undefined ones dropped), ready to send. */
export function nextCall(tool: string, args: Record<string, unknown>): NextCall {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) if (value !== undefined) cleaned[key] = value;
  return { tool, arguments: cleaned };
}
