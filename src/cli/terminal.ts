/** Columns used when output is piped: wide enough for a useful waterfall, stable for diffs. */
export const PIPED_WIDTH = 100;

/** The terminal's width, or a fixed width when piped. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : PIPED_WIDTH;
}

/** Writes and resolves once the data is flushed, so exit codes never cut output short. */
export function writeOut(text: string, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  return new Promise((resolve) => {
    if (text.length === 0) return resolve();
    stream.write(text.endsWith('\n') ? text : `${text}\n`, () => resolve());
  });
}
