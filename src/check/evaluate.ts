import { selfTimeNs } from '../analyse/self-time.js';
import type { Span, Trace } from '../types.js';
import { describeRule, type Assertion, type AssertionResult, type Rule, type SpanSelector } from './assertions.js';
import { formatDuration } from '../duration-text.js';
import { compileGlob } from './glob.js';

/** How many offending spans a message names before it says `+N more`. */
const LIST_LIMIT = 3;
const MESSAGE_LIMIT = 120;

/** Judges one assembled trace against every assertion, in order. Pure: nothing prints. */
export function evaluate(trace: Trace, assertions: readonly Assertion[]): AssertionResult[] {
  return assertions.map((a) => {
    const { passed, expected, seen } = judge(trace, a.rule);
    return { name: a.name, rule: a.rule.rule, check: describeRule(a.rule), passed, expected, seen };
  });
}

interface Verdict {
  passed: boolean;
  expected: string;
  seen: string;
}

function judge(trace: Trace, rule: Rule): Verdict {
  const spans = trace.spans;
  switch (rule.rule) {
    case 'found':
      return { passed: true, expected: 'the trace in the logs', seen: `${count(spans.length, 'span')} from ${count(trace.services.length, 'service')}` };

    case 'no-errors': {
      const failed = spans.filter((s) => s.error);
      const expected = 'no failing span';
      if (failed.length === 0) return { passed: true, expected, seen: `none of ${count(spans.length, 'span')} failed` };
      // The likely origin first: that is where to look.
      failed.sort((a, b) => Number(b.errorOrigin) - Number(a.errorOrigin));
      const listed = failed.slice(0, LIST_LIMIT).map((s) => `${label(s)}${s.errorMessage ? ` (${clip(s.errorMessage)})` : ''}`);
      return { passed: false, expected, seen: `${failed.length} of ${count(spans.length, 'span')} failed: ${listed.join(', ')}${more(failed.length)}` };
    }

    case 'max-duration': {
      const expected = `at most ${formatDuration(rule.maxMs)}`;
      const took = `trace took ${formatDuration(trace.durationMs)}`;
      if (trace.durationMs <= rule.maxMs) return { passed: true, expected, seen: took };
      const culprit = slowestPart(trace);
      return { passed: false, expected, seen: culprit ? `${took} (${label(culprit)} ${formatDuration(culprit.durationMs)})` : took };
    }

    case 'expect-service': {
      const expected = `services ${rule.services.join(', ')}`;
      const missing = rule.services.filter((want) => !trace.services.some(matcher(want)));
      if (missing.length === 0) return { passed: true, expected, seen: `all ${count(rule.services.length, 'service')} present` };
      return { passed: false, expected, seen: `missing ${missing.join(', ')} (seen: ${trace.services.join(', ') || 'none'})` };
    }

    case 'expect-span': {
      const expected = `a span ${rule.selector.text}`;
      const hits = select(spans, rule.selector);
      if (hits.length === 0) return { passed: false, expected, seen: noMatch(trace, rule.selector) };
      return { passed: true, expected, seen: hits.length === 1 ? `found ${label(hits[0]!)}` : `${hits.length} spans match` };
    }

    case 'max-span-duration': {
      const expected = `each ${rule.selector.text} span at most ${formatDuration(rule.maxMs)}`;
      const hits = select(spans, rule.selector);
      // Selecting nothing is a failure: a renamed span must not turn the gate silently green.
      if (hits.length === 0) return { passed: false, expected, seen: noMatch(trace, rule.selector) };
      const over = hits.filter((s) => s.durationMs > rule.maxMs).sort((a, b) => b.durationMs - a.durationMs);
      if (over.length === 0) {
        const slowest = hits.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
        return { passed: true, expected, seen: `${count(hits.length, 'span')}, slowest ${label(slowest)} ${formatDuration(slowest.durationMs)}` };
      }
      const listed = over.slice(0, LIST_LIMIT).map((s) => `${label(s)} took ${formatDuration(s.durationMs)}`);
      return { passed: false, expected, seen: `${listed.join(', ')}${more(over.length)} (${over.length} of ${count(hits.length, 'span')} over)` };
    }

    case 'min-spans': {
      const expected = `at least ${count(rule.min, 'span')}`;
      return { passed: spans.length >= rule.min, expected, seen: `trace has ${count(spans.length, 'span')}` };
    }
  }
}

/** Spans that match `service:name` (globs allowed); placeholders were never logged, so never match. */
export function select(spans: readonly Span[], selector: SpanSelector): Span[] {
  const service = matcher(selector.service);
  const name = matcher(selector.name);
  return spans.filter((s) => !s.placeholder && service(s.service) && name(s.name));
}

function matcher(pattern: string): (value: string) => boolean {
  return compileGlob(pattern);
}

/** Why a selector matched nothing: the service is absent, or it has no span of that name. */
function noMatch(trace: Trace, selector: SpanSelector): string {
  const service = matcher(selector.service);
  const ofService = trace.spans.filter((s) => !s.placeholder && service(s.service));
  if (ofService.length === 0) return `no span of ${selector.service} (services: ${trace.services.join(', ') || 'none'})`;
  const names = [...new Set(ofService.map((s) => s.name))];
  const shown = names.slice(0, 5).map(clip).join(', ') + (names.length > 5 ? `, +${names.length - 5} more` : '');
  return `no ${selector.service} span named ${selector.name} (its spans: ${shown})`;
}

/**
 * The span that most explains a slow trace: the one with the most time of its own (not spent
 * waiting on children), below the root when possible since the root's total is already said.
 */
function slowestPart(trace: Trace): Span | null {
  let best: Span | null = null;
  let bestSelf = -1n;
  for (const span of trace.spans) {
    if (span.placeholder || span.depth === 0) continue;
    const self = selfTimeNs(span);
    if (self > bestSelf) {
      best = span;
      bestSelf = self;
    }
  }
  return best;
}

function label(span: Span): string {
  return `${span.service}:${span.name}`;
}

function clip(text: string): string {
  // A Python traceback says what happened on its last line; other stacks on their first.
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines[0]?.startsWith('Traceback (most recent call last)') ? lines[lines.length - 1]! : text;
  const one = telling.replace(/\s*\n\s*/g, ' ').trim();
  return one.length > MESSAGE_LIMIT ? `${one.slice(0, MESSAGE_LIMIT - 1)}…` : one;
}

function more(total: number): string {
  return total > LIST_LIMIT ? `, +${total - LIST_LIMIT} more` : '';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
