import { UsageError } from '../errors.js';

/**
 * The interactive views (`show -i`, `ui`) need a terminal for keys and screen both: refused before anything is read, with the
 * command that works without one.
 */
export function requireTerminal(instead: string): void {
  if (process.stdin.isTTY && process.stdout.isTTY) return;
  const which = !process.stdin.isTTY && !process.stdout.isTTY ? 'standard input and output are not a terminal' : !process.stdin.isTTY ? 'standard input is not a terminal' : 'standard output is not a terminal';
  throw new UsageError(`the interactive view needs a terminal (${which}); ${instead}`);
}

