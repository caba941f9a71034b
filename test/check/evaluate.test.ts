import { describe, expect, it } from 'vitest';
import type { Assertion } from '../../src/check/assertions.js';
import { evaluate } from '../../src/check/evaluate.js';
import { parseRule } from '../../src/check/parse-rule.js';
import type { RULE_NAMES } from '../../src/check/assertions.js';
import { DECLINED, DEEP_FAILURE, exampleTrace, SLOW, SPAN_IDS_ONLY, TIMEOUT, TRACE_ID_ONLY } from './examples.js';

type RuleName = (typeof RULE_NAMES)[number];

async function judge(id: string, rule: RuleName, value: unknown) {
  const assertion: Assertion = { name: rule, rule: parseRule(rule, value) };
  const [result] = evaluate(await exampleTrace(id), [assertion]);
  return result!;
}

describe('no-errors', () => {
  it('passes on a slow but successful checkout and on a declined card (4xx is not a failure)', async () => {
    for (const id of [SLOW, DECLINED]) {
      const r = await judge(id, 'no-errors', true);
      expect(r.passed).toBe(true);
      expect(r.seen).toBe('none of 5 spans failed');
    }
  });

  it('fails on the deep failure and names the likely origin first, with its message', async () => {
    const r = await judge(DEEP_FAILURE, 'no-errors', true);
    expect(r.passed).toBe(false);
    expect(r.expected).toBe('no failing span');
    expect(r.seen).toMatch(/^4 of 5 spans failed: fraud-check:POST \/v1\/score \(/);
    expect(r.seen).toContain('(fraud.features.FeatureStoreUnavailable: redis fraud-features:6379 connection refused)');
    expect(r.seen).toContain('+1 more');
  });
});

describe('max-duration', () => {
  it('passes under the limit and says how long the trace took', async () => {
    const r = await judge(DEEP_FAILURE, 'max-duration', '800ms');
    expect(r).toMatchObject({ passed: true, expected: 'at most 800ms' });
    expect(r.seen).toMatch(/^trace took \d+(\.\d)?ms$/);
  });

  it('fails on the timeout, with the duration and the span that spent the time', async () => {
    const r = await judge(TIMEOUT, 'max-duration', '1s');
    expect(r.passed).toBe(false);
    expect(r.expected).toBe('at most 1.00s');
    // fraud-check keeps working ~4.7 s after payment-service gave up on it.
    expect(r.seen).toMatch(/^trace took 4\.7\ds \(fraud-check:POST \/v1\/score 4\.\d\ds\)$/);
  });
});

describe('expect-service', () => {
  it('passes when every named service is in the trace (trace-id-only logs too)', async () => {
    const r = await judge(TRACE_ID_ONLY, 'expect-service', 'api-gateway,order-service,inventory-service,payment-service,fraud-check');
    expect(r).toMatchObject({ passed: true, seen: 'all 5 services present' });
  });

  it('fails naming the missing ones and what was seen', async () => {
    const r = await judge(DEEP_FAILURE, 'expect-service', ['fraud-check', 'billing', 'shipping']);
    expect(r.passed).toBe(false);
    expect(r.seen).toBe('missing billing, shipping (seen: api-gateway, order-service, inventory-service, payment-service, fraud-check)');
  });
});

describe('expect-span', () => {
  it('passes on an exact name and on a glob', async () => {
    expect(await judge(DEEP_FAILURE, 'expect-span', 'payment-service:POST /v1/charges')).toMatchObject({
      passed: true,
      seen: 'found payment-service:POST /v1/charges',
    });
    expect(await judge(SPAN_IDS_ONLY, 'expect-span', '*-service:POST *')).toMatchObject({ passed: true, seen: '3 spans match' });
  });

  it('fails when the service has no such span, listing the names it has', async () => {
    const r = await judge(DEEP_FAILURE, 'expect-span', 'payment-service:charge');
    expect(r).toMatchObject({ passed: false, expected: 'a span payment-service:charge' });
    expect(r.seen).toBe('no payment-service span named charge (its spans: POST /v1/charges)');
  });

  it('fails when the service is not in the trace at all', async () => {
    const r = await judge(DEEP_FAILURE, 'expect-span', 'billing:*');
    expect(r.passed).toBe(false);
    expect(r.seen).toMatch(/^no span of billing \(services: api-gateway, /);
  });
});

describe('max-span-duration', () => {
  it('passes when every selected span is under the limit, naming the slowest', async () => {
    const r = await judge(DEEP_FAILURE, 'max-span-duration', '*:*=1s');
    expect(r.passed).toBe(true);
    expect(r.seen).toMatch(/^5 spans, slowest api-gateway:POST \/api\/orders \d+(\.\d)?ms$/);
  });

  it('fails on the span that took too long', async () => {
    const r = await judge(TIMEOUT, 'max-span-duration', 'payment-service:*=300ms');
    expect(r).toMatchObject({ passed: false, expected: 'each payment-service:* span at most 300ms' });
    expect(r.seen).toMatch(/^payment-service:POST \/v1\/charges took 3\.0\ds \(1 of 1 span over\)$/);
  });

  it('fails when it selects nothing: a renamed span must not pass silently', async () => {
    const r = await judge(DEEP_FAILURE, 'max-span-duration', 'payment-service:charge=300ms');
    expect(r.passed).toBe(false);
    expect(r.seen).toBe('no payment-service span named charge (its spans: POST /v1/charges)');
  });
});

describe('min-spans', () => {
  it('passes at the count and fails above it', async () => {
    expect(await judge(TRACE_ID_ONLY, 'min-spans', 5)).toMatchObject({ passed: true, seen: 'trace has 5 spans' });
    expect(await judge(TRACE_ID_ONLY, 'min-spans', '6')).toMatchObject({ passed: false, expected: 'at least 6 spans', seen: 'trace has 5 spans' });
  });
});

describe('results', () => {
  it('keep the order and the names given, with the rule in flag form', async () => {
    const trace = await exampleTrace(DEEP_FAILURE);
    const results = evaluate(trace, [
      { name: 'checkout is fast', rule: parseRule('max-duration', '10ms') },
      { name: 'min-spans 3', rule: parseRule('min-spans', 3) },
    ]);
    expect(results.map((r) => [r.name, r.check, r.passed])).toEqual([
      ['checkout is fast', 'max-duration 10ms', false],
      ['min-spans 3', 'min-spans 3', true],
    ]);
  });
});
