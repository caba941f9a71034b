import { supportsColor } from 'chalk';

/** Columns used when output is piped: wide enough for a useful waterfall, stable for diffs. */
export const PIPED_WIDTH = 100;

export interface ColourChoice {
  color: boolean;
  colorLevel: 1 | 2 | 3;
}

/**
 * Colour on or off, in this order: `--color`/`--no-color`, FORCE_COLOR, NO_COLOR (any non-empty
 * value, per no-color.org), then chalk's own detection (is stdout a colour terminal?).
 */
export function chooseColour(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): ColourChoice {
  const detected = supportsColor ? supportsColor.level : 0;
  const level = (Math.max(1, Math.min(3, detected || 2)) as 1 | 2 | 3);
  if (flag !== undefined) return { color: flag, colorLevel: level };
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    if (force === '0' || force === 'false') return { color: false, colorLevel: level };
    const forced = Number(force);
    return { color: true, colorLevel: forced >= 1 && forced <= 3 ? (forced as 1 | 2 | 3) : level };
  }
  if (env.NO_COLOR) return { color: false, colorLevel: level };
  return { color: detected > 0, colorLevel: level };
}

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
