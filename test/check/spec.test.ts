import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, parseSpec, SpecError } from '../../src/check/spec.js';

const SMOKE = `# checkout smoke test
- name: no errors
  no-errors: true
- name: checkout is fast
  max-duration: 800ms
- name: the whole chain ran
  expect-service: [api-gateway, payment-service]
- name: payment charged
  expect-span: "payment-service:POST /v1/charges"
- name: payment is quick
  max-span-duration: "payment-service:*=300ms"
- name: enough spans
  min-spans: 4
`;

function specError(text: string): string {
  try {
    parseSpec(text, 'smoke.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as Error).message;
  }
  throw new Error('expected a SpecError');
}

describe('spec files', () => {
  it('read a list of named rules into assertions, in file order', () => {
    const assertions = parseSpec(SMOKE, 'smoke.yaml');
    expect(assertions.map((a) => a.name)).toEqual([
      'no errors',
      'checkout is fast',
      'the whole chain ran',
      'payment charged',
      'payment is quick',
      'enough spans',
    ]);
    expect(assertions.map((a) => a.rule)).toEqual([
      { rule: 'no-errors' },
      { rule: 'max-duration', maxMs: 800, text: '800ms' },
      { rule: 'expect-service', services: ['api-gateway', 'payment-service'] },
      { rule: 'expect-span', selector: { service: 'payment-service', name: 'POST /v1/charges', text: 'payment-service:POST /v1/charges' } },
      { rule: 'max-span-duration', selector: { service: 'payment-service', name: '*', text: 'payment-service:*' }, maxMs: 300, text: '300ms' },
      { rule: 'min-spans', min: 4 },
    ]);
  });

  it('also accept a mapping with a rules: list', () => {
    expect(parseSpec('rules:\n  - name: fast\n    max-duration: 1s\n', 'x.yaml')).toEqual([
      { name: 'fast', rule: { rule: 'max-duration', maxMs: 1000, text: '1s' } },
    ]);
  });

  it('name an unknown rule and its line', () => {
    const text = SMOKE + '- name: latency\n  max-latency: 300ms\n';
    expect(specError(text)).toBe(
      "smoke.yaml:15: unknown rule 'max-latency'; rules are: no-errors, max-duration, expect-service, expect-span, max-span-duration, min-spans",
    );
  });

  it('suggest the rule meant by a near miss', () => {
    expect(specError('- name: fast\n  max_duration: 1s\n')).toMatch(/^smoke\.yaml:2: unknown rule 'max_duration' \(did you mean 'max-duration'\?\)/);
  });

  it('point at the line of a bad value', () => {
    expect(specError('- name: ok\n  no-errors: true\n- name: fast\n  max-duration: quick\n')).toBe(
      "smoke.yaml:4: 'fast': max-duration takes a duration with a unit like 800ms, 1.5s or 2m, not 'quick'",
    );
    expect(specError('- name: fast\n  max-duration: 800\n')).toBe("smoke.yaml:2: 'fast': max-duration needs a unit: write 800ms or 800s, not 800");
    expect(specError('- name: n\n  min-spans: 0\n')).toBe("smoke.yaml:2: 'n': min-spans takes a whole number of spans from 1 up, not 0");
    expect(specError('- name: s\n  expect-span: payment-service\n')).toMatch(/^smoke\.yaml:2: 's': expect-span takes service:name/);
  });

  it('require a name, one rule per entry, and unique names', () => {
    expect(specError('- no-errors: true\n')).toBe('smoke.yaml:1: rule 1 has no name: add "name: …" so reports can say which rule failed');
    expect(specError('- name: a\n  no-errors: true\n  min-spans: 2\n')).toBe(
      "smoke.yaml:3: 'min-spans' is a second rule in one entry (after 'no-errors'): give each rule its own \"- name:\" entry",
    );
    expect(specError('- name: a\n')).toMatch(/^smoke\.yaml:1: 'a' names no rule; add one of: no-errors/);
    expect(specError('- name: a\n  no-errors: true\n- name: a\n  min-spans: 1\n')).toMatch(/^smoke\.yaml:3: two rules are named 'a'/);
  });

  it('report YAML syntax errors and wrong shapes with a line', () => {
    expect(specError('- name: a\n  no-errors: true\n - bad: [\n')).toMatch(/^smoke\.yaml:3: not valid YAML: /);
    expect(specError('name: a\n')).toBe('smoke.yaml:1: expected a list of rules (or a "rules:" list)');
    expect(specError('- just text\n')).toMatch(/^smoke\.yaml:1: rule 1 is not a mapping/);
    expect(specError('')).toMatch(/^smoke\.yaml:1: /);
  });

  it('say when the file cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spec-'));
    await expect(loadSpec(join(dir, 'missing.yaml'))).rejects.toThrow(/^cannot read the spec file .*missing\.yaml \(ENOENT\)$/);
    await writeFile(join(dir, 'ok.yaml'), SMOKE);
    expect(await loadSpec(join(dir, 'ok.yaml'))).toHaveLength(6);
  });
});
