// Assertions are plain data: flags and spec files produce them, evaluate.ts judges a Trace against
// them, renderers print the results. Nothing here reads logs or prints.

/** `service:name` where either part may be a glob (`payment-service:*`, `*:charge`). */
export interface SpanSelector {
  service: string;
  name: string;
  /** As the user wrote it, for messages. */
  text: string;
}

export type Rule =
  | { rule: 'no-errors' }
  | { rule: 'max-duration'; maxMs: number; text: string }
  | { rule: 'expect-service'; services: string[] }
  | { rule: 'expect-span'; selector: SpanSelector }
  | { rule: 'max-span-duration'; selector: SpanSelector; maxMs: number; text: string }
  | { rule: 'min-spans'; min: number }
  /** Added when nothing else is asked: the check then only says the trace was found. */
  | { rule: 'found' };

export type RuleName = Rule['rule'];

/** The rules a user can write (flags and spec keys); `found` is implicit. */
export const RULE_NAMES = ['no-errors', 'max-duration', 'expect-service', 'expect-span', 'max-span-duration', 'min-spans'] as const;

export interface Assertion {
  /** What the user sees: the spec's name, or the rule and its argument (`max-duration 800ms`). */
  name: string;
  rule: Rule;
}

export interface AssertionResult {
  name: string;
  rule: RuleName;
  /** The rule in flag form (`max-duration 800ms`): the expectation, whatever the name says. */
  check: string;
  passed: boolean;
  /** What the assertion asked for, e.g. `at most 800 ms`. */
  expected: string;
  /** What the trace showed, e.g. `1 204 ms (payment-service:charge 1 003 ms)`. */
  seen: string;
}

/** The verdict on one trace. `found: false` means no line of it was read (exit 3). */
export interface TraceCheck {
  traceId: string;
  found: boolean;
  /** Set when found. */
  durationMs?: number;
  spanCount?: number;
  errorCount?: number;
  services?: string[];
  /** Why the trace may be incomplete, e.g. the wait ran out while spans were still arriving. */
  notes: string[];
  results: AssertionResult[];
}

/** The label a rule gets when it comes from a flag: the flag's name and value. */
export function describeRule(rule: Rule): string {
  switch (rule.rule) {
    case 'no-errors':
      return 'no-errors';
    case 'max-duration':
      return `max-duration ${rule.text}`;
    case 'expect-service':
      return `expect-service ${rule.services.join(',')}`;
    case 'expect-span':
      return `expect-span ${rule.selector.text}`;
    case 'max-span-duration':
      return `max-span-duration ${rule.selector.text}=${rule.text}`;
    case 'min-spans':
      return `min-spans ${rule.min}`;
    case 'found':
      return 'trace found';
  }
}

export function checkPassed(check: TraceCheck): boolean {
  return check.found && check.results.every((r) => r.passed);
}
