import { fstatSync } from 'node:fs';

// Apart from source-options.ts, which opens files and standard input: deciding whether Loki is
// the source needs only this, and `show --loki` should not load the file reader to ask.

/**
 * True when standard input cannot be carrying logs: a terminal, or a device such as /dev/null
 * (CI runners and cron start commands that way). Only a pipe, a socket or a redirected file
 * counts as piped input; the `stdinIsTTY` parameters elsewhere take this as their default.
 */
export function stdinBringsNoLogs(): boolean {
  try {
    const s = fstatSync(0);
    return !(s.isFIFO() || s.isFile() || s.isSocket());
  } catch {
    return true;
  }
}
