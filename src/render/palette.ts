import { Chalk, type ChalkInstance } from 'chalk';
import type { Level } from '../types.js';

/** A function that styles a piece of already-sanitised text (identity when colour is off). */
export type Paint = (text: string) => string;

/**
 * Service colours: distinct, readable on dark and light backgrounds, and never red (red means
 * error). 256-colour codes; chalk maps them down when the terminal has only 16 colours.
 */
const SERVICE_PALETTE_256: readonly number[] = [
  39, // blue
  178, // gold
  35, // green
  170, // orchid
  45, // turquoise
  214, // orange
  99, // violet
  142, // olive
  69, // cornflower
  176, // plum
  37, // teal
  136, // brown
  76, // lime
  134, // purple
  220, // yellow
  107, // sage
  141, // lavender
  172, // dark orange
];

/** For 16-colour terminals, where the 256 palette would collapse onto a few basic colours. */
const SERVICE_PALETTE_16 = [
  'cyan',
  'yellow',
  'green',
  'magenta',
  'blue',
  'cyanBright',
  'yellowBright',
  'greenBright',
  'magentaBright',
  'blueBright',
] as const;

const LEVEL_STYLE: Record<Level, (c: ChalkInstance) => Paint> = {
  trace: (c) => c.gray,
  debug: (c) => c.blue,
  info: (c) => c.green,
  warn: (c) => c.yellow,
  error: (c) => c.red,
  fatal: (c) => c.bold.red,
};

/**
 * The palette slot of a service: FNV-1a of its name, so the same service gets the same colour in
 * every run and every command (show, tail…), whatever else is in the trace.
 */
export function serviceColourIndex(service: string, paletteSize: number = SERVICE_PALETTE_256.length): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    hash ^= service.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % paletteSize;
}

/** The colour of a service with a given chalk instance (level 0 gives the identity). */
export function serviceColour(chalk: ChalkInstance, service: string): Paint {
  if (chalk.level === 1) return chalk[SERVICE_PALETTE_16[serviceColourIndex(service, SERVICE_PALETTE_16.length)]!];
  return chalk.ansi256(SERVICE_PALETTE_256[serviceColourIndex(service)]!);
}

/**
 * The CSS colour of a service in pages (the HTML export): the same xterm 256-colour slot the
 * terminal uses, as the RGB a standard xterm shows for it.
 */
export function serviceColourCss(service: string): string {
  return xterm256ToHex(SERVICE_PALETTE_256[serviceColourIndex(service)]!);
}

/** Codes 16–231 are a 6×6×6 cube with these levels; the palette uses no others. */
function xterm256ToHex(code: number): string {
  const LEVELS = [0, 95, 135, 175, 215, 255];
  const n = code - 16;
  const rgb = [Math.floor(n / 36), Math.floor(n / 6) % 6, n % 6].map((i) => LEVELS[i]!.toString(16).padStart(2, '0'));
  return `#${rgb.join('')}`;
}

/** Every style the renderers use, so they never touch chalk directly. */
export interface Painter {
  readonly color: boolean;
  service(service: string): Paint;
  level(level: Level | null): Paint;
  red: Paint;
  /** Error markers that must stand out most (the error origin). */
  alarm: Paint;
  yellow: Paint;
  /** Better than before (a diff's shrinking span, a span that no longer fails). */
  green: Paint;
  dim: Paint;
  bold: Paint;
  /** What a search matched (`tail --grep`): reversed, so it shows in any colour scheme. */
  match: Paint;
}

export function makePainter(color: boolean, level: 1 | 2 | 3 = 2): Painter {
  const chalk = new Chalk({ level: color ? level : 0 });
  const services = new Map<string, Paint>();
  return {
    color,
    service(service) {
      let paint = services.get(service);
      if (!paint) {
        paint = serviceColour(chalk, service);
        services.set(service, paint);
      }
      return paint;
    },
    level: (lvl) => (lvl ? LEVEL_STYLE[lvl](chalk) : chalk.gray),
    red: chalk.red,
    alarm: chalk.bold.red,
    yellow: chalk.yellow,
    green: chalk.green,
    dim: chalk.dim,
    bold: chalk.bold,
    match: chalk.inverse,
  };
}
