// Flag values, parsed one way for every command: durations, counts and widths. A value that does
// not parse is a usage error (exit 2) that names the flag, shows the value and gives an example.
import { parseDurationMs } from '../check/duration.js';
import { Option, type Command } from 'commander';
import { DEFAULT_MAX_SKEW_MS } from '../analyse/skew-default.js';
import { UsageError } from '../errors.js';

/**
 * Milliseconds from a duration flag: number and unit pairs (`800ms`, `30s`, `2m30s`, `1h`). A
 * bare number is refused in every command — is `30` seconds or milliseconds? — except where
 * `bareSeconds` keeps a logcli flag's meaning (`--delay-for 2` is 2 s there).
 */
export function durationFlagMs(flag: string, value: string, options: { bareSeconds?: boolean; allowZero?: boolean } = {}): number {
  const text = value.trim();
  const bare = /^\d+(\.\d+)?$/.test(text);
  const ms = bare && options.bareSeconds ? Number(text) * 1000 : parseDurationMs(text);
  if (ms === null || (ms === 0 && options.allowZero === false)) {
    const hint = bare ? ` (add a unit: ${text}s or ${text}ms)` : '';
    throw new UsageError(`${flag} takes a duration such as 500ms, 30s or 2m, not '${value}'${hint}`);
  }
  return ms;
}

/**
 * A commander argument parser for a duration flag. The parsers throw UsageError, not commander's
 * InvalidArgumentError, so the message is printed as every other usage error is: one line,
 * `mcp-trace: --flag …`, exit 2.
 */
export function durationArg(flag: string, options: { bareSeconds?: boolean; allowZero?: boolean } = {}): (value: string) => number {
  return (value) => durationFlagMs(flag, value, options);
}

/** A whole number from `min` up (`--limit`, `--min-spans`, `-n`). */
export function countArg(flag: string, min = 1): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} takes a whole number from ${min} up, not '${value}'`);
    return n;
  };
}

/** Output width in columns. */
export function widthArg(flag = '--width'): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 40 || n > 1000) throw new UsageError(`${flag} takes a whole number of columns from 40 to 1000, not '${value}'`);
    return n;
  };
}

/**
 * `--format json` for commands whose only machine format is `--json`: every command takes
 * `--format json` the same way (any other value is refused, naming json).
 */
export function jsonFormatOption(): Option {
  return new Option('--format <format>', 'json: the same as --json').choices(['json']);
}

/** `--color` / `--no-color`, worded once for every command that paints. */
export function addColourOptions(cmd: Command): Command {
  return cmd.option('--color', 'force colour').option('--no-color', 'no colour (also NO_COLOR=1)');
}

/** `--max-skew` and `--no-skew-adjust` (show, diff); `verb` says what the command does with the times. */
export function addSkewOptions(cmd: Command, verb: string): Command {
  return cmd
    .addOption(new Option('--max-skew <duration>', 'largest clock-skew correction applied').argParser(durationArg('--max-skew')).default(DEFAULT_MAX_SKEW_MS, '1s'))
    .option('--no-skew-adjust', `${verb} times as logged, without clock-skew correction`);
}
