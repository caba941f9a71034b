// Severity names and numbers of every library → the six normalised levels.
import type { Level } from '../types.js';

/** Lower-cased level words. A Map, so that `"level":"constructor"` finds nothing. */
const LEVEL_WORDS = new Map<string, Level>(Object.entries({
  trace: 'trace', trc: 'trace', verbose: 'trace', vrb: 'trace', finest: 'trace', finer: 'trace', all: 'trace',
  debug: 'debug', dbg: 'debug', dbug: 'debug', fine: 'debug', config: 'debug',
  info: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info', default: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error', dpanic: 'error', // zap dpanic: dev-only panic
  fatal: 'fatal', ftl: 'fatal', critical: 'fatal', crit: 'fatal', alert: 'fatal', emergency: 'fatal', emerg: 'fatal',
  panic: 'fatal',
} satisfies Record<string, Level>));

/** slog base levels: `ERROR+2` is 8+2. */
const SLOG_BASE = new Map([['DEBUG', -4], ['INFO', 0], ['WARN', 4], ['ERROR', 8]]);

/** Which number scale a bare numeric level is on. */
export type LevelScale = 'pino' | 'otel' | 'logback' | undefined;

export function parseLevel(value: unknown, scale: LevelScale): Level | null {
  if (typeof value === 'string') return parseLevelWord(value);
  if (typeof value === 'number') return parseLevelNumber(value, scale);
  return null;
}

export function parseLevelWord(s: string): Level | null {
  const word = LEVEL_WORDS.get(s) ?? LEVEL_WORDS.get(s.toLowerCase());
  if (word) return word;
  const sign = Math.max(s.indexOf('+'), s.indexOf('-'));
  if (sign > 0) return slogOffset(s, sign);
  // Numbers written as strings ("30", "17").
  const c = s.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) {
    const n = Number(s);
    if (Number.isInteger(n)) return parseLevelNumber(n, undefined);
  }
  return null;
}

function slogOffset(s: string, sign: number): Level | null {
  const base = SLOG_BASE.get(s.slice(0, sign).toUpperCase());
  const offset = Number(s.slice(sign));
  if (base === undefined || !Number.isInteger(offset)) return null;
  const n = base + offset;
  return n < -4 ? 'trace' : n < 0 ? 'debug' : n < 4 ? 'info' : n < 8 ? 'warn' : 'error';
}

function parseLevelNumber(n: number, scale: LevelScale): Level | null {
  if (scale === 'otel') return otelSeverity(n);
  if (scale === 'logback') {
    return n >= 40000 ? 'error' : n >= 30000 ? 'warn' : n >= 20000 ? 'info' : n >= 10000 ? 'debug' : 'trace';
  }
  // pino/bunyan 10…60. Below 10 is the syslog scale (GELF `level`): 0 emerg … 7 debug.
  if (n >= 10) return n >= 60 ? 'fatal' : n >= 50 ? 'error' : n >= 40 ? 'warn' : n >= 30 ? 'info' : n >= 20 ? 'debug' : 'trace';
  if (n >= 0 && Number.isInteger(n)) return SYSLOG[n] ?? null;
  return null;
}

const SYSLOG: Level[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];

/** OTel severityNumber: 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal. */
function otelSeverity(n: number): Level | null {
  if (!(n >= 1 && n <= 24)) return null;
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((n - 1) / 4)]!;
}
