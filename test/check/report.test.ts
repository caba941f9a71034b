import { describe, expect, it } from 'vitest';
import type { Assertion, TraceCheck } from '../../src/check/assertions.js';
import { evaluate } from '../../src/check/evaluate.js';
import { parseRule } from '../../src/check/parse-rule.js';
import { renderCheckMarkdown } from '../../src/render/check-markdown.js';
import { checkToJson, renderCheckReport } from '../../src/render/check-report.js';
import { renderJunit } from '../../src/render/junit.js';
import { DEEP_FAILURE, exampleTrace, SLOW } from './examples.js';
import { childrenNamed, parseXml } from './xml.js';

const ASSERTIONS: Assertion[] = [
  { name: 'no-errors', rule: parseRule('no-errors', true) },
  { name: 'max-duration 800ms', rule: parseRule('max-duration', '800ms') },
  { name: 'payment "charged" & <done>', rule: parseRule('expect-span', 'payment-service:POST /v1/charges') },
];

async function checkOf(id: string): Promise<TraceCheck> {
  const trace = await exampleTrace(id);
  return {
    traceId: id,
    found: true,
    durationMs: trace.durationMs,
    spanCount: trace.spans.length,
    errorCount: trace.errorCount,
    services: trace.services,
    notes: [],
    results: evaluate(trace, ASSERTIONS),
  };
}

const MISSING: TraceCheck = { traceId: 'ffffffffffffffffffffffffffffffff', found: false, notes: ['trace ffff… not found in 5 files (481 lines read)'], results: [] };

describe('JUnit report', () => {
  it('has one testsuite per trace and one testcase per assertion, with counts that add up', async () => {
    const checks = [await checkOf(DEEP_FAILURE), await checkOf(SLOW), MISSING];
    const root = parseXml(renderJunit(checks, new Date('2025-11-25T09:10:00Z')));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '7', failures: '2', errors: '1' });

    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual([`trace ${DEEP_FAILURE}`, `trace ${SLOW}`, `trace ${MISSING.traceId}`]);

    const [deep, slow, missing] = suites as [typeof root, typeof root, typeof root];
    expect(deep.attributes).toMatchObject({ tests: '3', failures: '1', errors: '0', timestamp: '2025-11-25T09:10:00' });
    const cases = childrenNamed(deep, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual(['no-errors', 'max-duration 800ms', 'payment "charged" & <done>']);
    expect(cases.every((c) => c.attributes.classname === `mcp-trace.${DEEP_FAILURE}`)).toBe(true);
    const failure = childrenNamed(cases[0]!, 'failure');
    expect(failure).toHaveLength(1);
    expect(failure[0]!.attributes.type).toBe('no-errors');
    expect(failure[0]!.attributes.message).toMatch(/^4 of 5 spans failed: fraud-check:/);
    expect(failure[0]!.text).toContain('expected: no failing span\nseen: 4 of 5 spans failed');
    expect(childrenNamed(cases[1]!, 'failure')).toHaveLength(0);

    // The slow checkout: no errors, but over 800 ms.
    expect(slow.attributes).toMatchObject({ tests: '3', failures: '1' });
    const slowFailure = childrenNamed(childrenNamed(slow, 'testcase')[1]!, 'failure')[0]!;
    expect(slowFailure.attributes.message).toMatch(/^trace took 8\d\dms \(order-service:/);

    const props = childrenNamed(childrenNamed(deep, 'properties')[0]!, 'property');
    expect(Object.fromEntries(props.map((p) => [p.attributes.name, p.attributes.value]))).toMatchObject({
      traceId: DEEP_FAILURE,
      spanCount: '5',
      errorCount: '4',
    });

    expect(missing.attributes).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    const error = childrenNamed(childrenNamed(missing, 'testcase')[0]!, 'error')[0]!;
    expect(error.attributes).toMatchObject({ type: 'not-found', message: MISSING.notes[0] });
  });

  it('keeps log text that XML cannot hold from breaking the report', async () => {
    const check = await checkOf(DEEP_FAILURE);
    check.results[0] = { ...check.results[0]!, seen: 'bad \u0001 byte, "quotes", <tags> & ]]>' };
    const root = parseXml(renderJunit([check]));
    const failure = childrenNamed(childrenNamed(childrenNamed(root, 'testsuite')[0]!, 'testcase')[0]!, 'failure')[0]!;
    expect(failure.attributes.message).toBe('bad \\x01 byte, "quotes", <tags> & ]]>');
  });
});

describe('human report', () => {
  it('lists ✔/✘ per assertion with what was seen, and a tally', async () => {
    const text = renderCheckReport([await checkOf(DEEP_FAILURE)], { color: false });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^✘ trace ${DEEP_FAILURE} · \\d+(\\.\\d)?ms · 5 spans · 4 errors$`));
    expect(lines[1]).toMatch(/^ {2}✘ no-errors: 4 of 5 spans failed: fraud-check:POST \/v1\/score/);
    expect(lines[2]).toMatch(/^ {2}✔ max-duration 800ms: trace took \d+(\.\d)?ms$/);
    // A named rule also says what it expected.
    expect(lines[3]).toBe('  ✔ payment "charged" & <done>: found payment-service:POST /v1/charges');
    expect(lines.at(-1)).toBe('1 of 3 assertions failed');
  });

  it('adds the expectation to failures of named rules', async () => {
    const trace = await exampleTrace(SLOW);
    const results = evaluate(trace, [{ name: 'checkout is fast', rule: parseRule('max-duration', '500ms') }]);
    const text = renderCheckReport([{ traceId: SLOW, found: true, durationMs: 1, spanCount: 5, errorCount: 0, notes: [], results }], { color: false });
    expect(text).toMatch(/✘ checkout is fast: trace took 8\d\dms \(.*\); expected at most 500ms \(max-duration 500ms\)/);
  });
});

describe('JSON and markdown', () => {
  it('JSON carries the verdict per trace and per assertion', async () => {
    const json = checkToJson([await checkOf(DEEP_FAILURE), MISSING]);
    expect(json.passed).toBe(false);
    expect(json.traces[0]).toMatchObject({ traceId: DEEP_FAILURE, found: true, passed: false, spanCount: 5, errorCount: 4 });
    expect(json.traces[0]!.assertions.map((a) => [a.rule, a.passed])).toEqual([
      ['no-errors', false],
      ['max-duration', true],
      ['expect-span', true],
    ]);
    expect(json.traces[1]).toMatchObject({ found: false, passed: false, assertions: [] });
  });

  it('markdown is one table row per assertion, cells escaped', async () => {
    const md = renderCheckMarkdown([await checkOf(DEEP_FAILURE)]);
    const rows = md.split('\n').filter((l) => l.startsWith('| ✅') || l.startsWith('| ❌'));
    expect(rows).toHaveLength(3);
    expect(md).toMatch(/^### mcp-trace check: ❌ 1 of 3 assertions failed/);
    expect(rows[2]).toContain('payment "charged" & \\<done\\>');
    // No cell may add a column.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(7);
  });
});
