import { sanitizeMessage } from '../render/sanitize.js';

/** Columns used when output is piped: wide enough for a useful waterfall, stable for diffs. */
export const PIPED_WIDTH = 100;

/** The terminal's width, or a fixed width when piped. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : PIPED_WIDTH;
}

/**
 * The way a message reaches stderr: `mcp-trace: ` and one sanitised line. Messages echo what a
 * server, a file name or the user controls (Loki bodies, HTML titles, paths, trace ids, flag
 * values), so escapes and bidi controls in them are shown, never acted on.
 */
export function writeMessage(text: string, stream: NodeJS.WritableStream = process.stderr, prefix: string = 'mcp-trace'): void {
  stream.write(`${prefix}: ${sanitizeMessage(text)}\n`);
}

/** Writes and resolves once the data is flushed, so exit codes never cut output short. */
export function writeOut(text: string, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  return new Promise((resolve) => {
    if (text.length === 0) return resolve();
    stream.write(text.endsWith('\n') ? text : `${text}\n`, () => resolve());
  });
}

/**
 * Leaves at once after Ctrl-C with `code`. process.exit first waits for libuv's thread pool, and
 * a pool thread stuck in open() of a FIFO that has no writer (or in read() of one whose writer is
 * silent) never comes back, so the process would hang. While a file-system request is in flight
 * the process ends by the SIGINT itself instead: default action restored, signal raised again.
 * Shells report that as 130, like exit 130; a regular file's read in flight takes the same way.
 */
export function leaveOnInterrupt(code: number): void {
  if (process.stderr.isTTY) process.stderr.write('\u001b[?25h'); // spinners hide the cursor
  if (!process.getActiveResourcesInfo().some((r) => r.startsWith('FSReq'))) process.exit(code);
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
}
