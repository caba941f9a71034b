import { UsageError } from '../errors.js';
import { fileNameLabels } from '../normalise/service-from-path.js';
import { FileSource, IDLE_NOTICE_MS } from '../sources/files.js';
import { sanitizeMessage } from '../render/sanitize.js';
import { MultiSource } from '../sources/multi.js';
import type { LogSource } from '../sources/source.js';
import { StdinSource } from '../sources/stdin.js';
import { stdinBringsNoLogs } from './stdin-input.js';

/**
 * Turns the positional source arguments into one LogSource: files and globs, `-` for standard
 * input, and standard input implied when nothing is named and input is piped.
 */
export async function openLocalSources(args: readonly string[], stdinIsTTY = stdinBringsNoLogs()): Promise<LogSource> {
  if (args.length === 0) {
    if (stdinIsTTY) {
      throw new UsageError('no logs to read: name log files (globs work), pipe logs into standard input, or use --loki');
    }
    return new StdinSource(process.stdin, { onIdle: sayWaiting });
  }
  if (args.filter((a) => a === '-').length > 1) throw new UsageError("'-' (standard input) can be named only once");
  const options = { labelsFor: fileLabels, onIdle: sayWaiting };
  const sources: LogSource[] = [];
  let pending: string[] = [];
  const flush = async () => {
    if (pending.length > 0) sources.push(await FileSource.open(pending, options));
    pending = [];
  };
  for (const arg of args) {
    if (arg === '-') {
      await flush();
      sources.push(new StdinSource(process.stdin, { onIdle: sayWaiting }));
    } else {
      pending.push(arg);
    }
  }
  await flush();
  return sources.length === 1 ? sources[0]! : new MultiSource(sources);
}

/**
 * A pipe or device that has sent nothing for a few seconds (a FIFO with no writer, a command that
 * is slow to start) looks like a hang on a terminal: say once what is waited for. Piped and CI
 * runs stay quiet.
 */
function sayWaiting(name: string): void {
  if (!process.stderr.isTTY || process.env.CI) return;
  process.stderr.write(`mcp-trace: waiting for input from ${sanitizeMessage(name)}: nothing has arrived for ${IDLE_NOTICE_MS / 1000} s (Ctrl-C stops)\n`);
}

/** One file per service is the common layout: the file name names the service its lines lack. */
export const fileLabels = fileNameLabels;
