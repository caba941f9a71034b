import { describeRule, type Assertion, type Rule } from './assertions.js';
import { parseRule, RuleValueError } from './parse-rule.js';

/** The assertion flags of `check` as commander hands them over. */
export interface AssertionFlags {
  /** False when --no-errors was given (commander's negatable flag). */
  errors?: boolean;
  maxDuration?: string;
  expectService?: string[];
  expectSpan?: string[];
  maxSpanDuration?: string[];
  minSpans?: string;
}

/**
 * Assertions from flags, in a fixed order (commander does not keep the command line's).
 * Throws RuleValueError with the flag's name for a value that cannot be read.
 */
export function assertionsFromFlags(flags: AssertionFlags): Assertion[] {
  const rules: Rule[] = [];
  const add = (flag: string, name: Parameters<typeof parseRule>[0], value: unknown) => {
    try {
      rules.push(parseRule(name, value));
    } catch (err) {
      if (err instanceof RuleValueError) throw new RuleValueError(`--${flag} ${err.message.replace(/^[a-z-]+ /, '')}`);
      throw err;
    }
  };
  if (flags.errors === false) add('no-errors', 'no-errors', true);
  if (flags.maxDuration !== undefined) add('max-duration', 'max-duration', flags.maxDuration);
  if (flags.expectService?.length) add('expect-service', 'expect-service', flags.expectService);
  for (const value of flags.expectSpan ?? []) add('expect-span', 'expect-span', value);
  for (const value of flags.maxSpanDuration ?? []) add('max-span-duration', 'max-span-duration', value);
  if (flags.minSpans !== undefined) add('min-spans', 'min-spans', flags.minSpans);
  return rules.map((rule) => ({ name: describeRule(rule), rule }));
}
