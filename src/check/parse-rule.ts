import { RULE_NAMES, type Rule, type SpanSelector } from './assertions.js';
import { parseDurationMs } from './duration.js';

/** A rule value that cannot be read; callers add where it came from (flag or spec line). */
export class RuleValueError extends Error {}

export function isRuleName(name: string): name is (typeof RULE_NAMES)[number] {
  return (RULE_NAMES as readonly string[]).includes(name);
}

/**
 * One rule from its name and value, the same for flags (strings) and spec files (YAML scalars
 * and lists): `max-duration: 800ms`, `expect-service: [a, b]`, `min-spans: 4`.
 */
export function parseRule(name: (typeof RULE_NAMES)[number], value: unknown): Rule {
  switch (name) {
    case 'no-errors':
      if (value !== true && value !== null && value !== undefined) {
        throw new RuleValueError(`no-errors takes no value (or true), not ${show(value)}`);
      }
      return { rule: 'no-errors' };
    case 'max-duration': {
      const text = durationText(name, value);
      return { rule: 'max-duration', maxMs: duration(name, text), text };
    }
    case 'expect-service': {
      const services = list(value).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      if (services.length === 0) throw new RuleValueError(`expect-service takes service names (a,b), not ${show(value)}`);
      return { rule: 'expect-service', services };
    }
    case 'expect-span':
      return { rule: 'expect-span', selector: selector(name, text(name, value, 'service:name')) };
    case 'max-span-duration': {
      const raw = text(name, value, 'service:name=duration');
      const eq = raw.lastIndexOf('=');
      if (eq < 0) throw new RuleValueError(`max-span-duration takes service:name=duration (payment-service:*=300ms), not '${raw}'`);
      const limit = raw.slice(eq + 1).trim();
      return { rule: 'max-span-duration', selector: selector(name, raw.slice(0, eq).trim()), maxMs: duration(name, limit), text: limit };
    }
    case 'min-spans': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n) || n < 1) throw new RuleValueError(`min-spans takes a whole number of spans from 1 up, not ${show(value)}`);
      return { rule: 'min-spans', min: n };
    }
  }
}

/** `service:name`; the name may hold colons (split at the first), either part may be a glob. */
export function parseSelector(rule: string, raw: string): SpanSelector {
  return selector(rule, raw);
}

function selector(rule: string, raw: string): SpanSelector {
  const colon = raw.indexOf(':');
  const service = colon > 0 ? raw.slice(0, colon).trim() : '';
  const name = colon > 0 ? raw.slice(colon + 1).trim() : '';
  if (service === '' || name === '') {
    throw new RuleValueError(`${rule} takes service:name (payment-service:charge; globs like payment-service:* work), not '${raw}'`);
  }
  return { service, name, text: raw.trim() };
}

function duration(rule: string, text: string): number {
  const ms = parseDurationMs(text);
  if (ms === null) {
    throw new RuleValueError(`${rule} takes a duration with a unit like 800ms, 1.5s or 2m, not '${text}'`);
  }
  return ms;
}

function durationText(rule: string, value: unknown): string {
  if (typeof value === 'number') {
    throw new RuleValueError(`${rule} needs a unit: write ${value}ms or ${value}s, not ${value}`);
  }
  return text(rule, value, 'a duration like 800ms');
}

function text(rule: string, value: unknown, shape: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new RuleValueError(`${rule} takes ${shape}, not ${show(value)}`);
  return value;
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return [];
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
