import { supportsColor } from 'chalk';

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
