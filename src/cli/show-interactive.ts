import { EXIT } from '../errors.js';
import { chooseColour } from './colour.js';
import type { ShowFlags, ShowResult } from './show-outputs.js';

/** Runs the interactive view on an analysed trace; Ctrl-C ends with 130, like every command. */
export async function showInteractive(result: ShowResult, flags: ShowFlags): Promise<string> {
  // Ink draws nothing until it exits when CI is set (is-in-ci, read as Ink loads), but a
  // terminal has been checked for: this is a person at a terminal, whatever the environment says.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { exploreTrace } = await import('../tui/explore-trace.js');
  const leave = await exploreTrace(result.trace, result.stats, result.critical, chooseColour(flags.color));
  if (leave === 'interrupt') process.exitCode = EXIT.INTERRUPTED;
  return '';
}
