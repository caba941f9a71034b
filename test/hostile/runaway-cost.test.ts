import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/check/glob.js';
import { planNeedles } from '../../src/sources/scan/needle-plan.js';
import { traceIdNeedles } from '../../src/trace-id.js';
import { runCli } from '../support/run-cli.js';

// Issue 18 item 4: one argument must not cost minutes. Long trace ids are a usage error and the
// needle plan is linear in the id; `*` runs in --expect-span and specs match in linear time.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = 'examples/*.log*';
const hex = (n: number): string => Array.from({ length: n }, (_, i) => '0123456789abcdef'[(i * 7 + (i >> 3)) % 16]).join('');

describe('long trace ids', () => {
  it('an id over 256 characters is a usage error (exit 2) in show, check and tail --trace', async () => {
    const id = hex(10_000);
    const started = Date.now();
    for (const args of [['show', id, EXAMPLES], ['check', id, EXAMPLES, '--no-errors'], ['tail', '--trace', id]]) {
      const r = await runCli(args, { stdin: '' });
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(/at most 256 characters; this one has 10000/);
      expect(r.stderr.length).toBeLessThan(300); // the id is not echoed whole
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an id of 256 characters is searched, and quickly', async () => {
    const started = Date.now();
    const r = await runCli(['show', `q${hex(255)}`, EXAMPLES]);
    expect(r.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('planning needles is linear in their length (the plan itself has no cap)', () => {
    const time = (n: number): number => {
      const started = performance.now();
      planNeedles(traceIdNeedles(`q${hex(n - 1)}`));
      return performance.now() - started;
    };
    time(1000);
    expect(time(20_000)).toBeLessThan(1_000); // was minutes: every 3-of-L offset triple
  });
});

describe('globs with many stars', () => {
  function traceFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-h18-'));
    const name = 'a'.repeat(60);
    const line = { time: '2026-11-25T21:00:00.000Z', level: 'info', service: 'api', trace_id: TRACE, span_id: '1111111111111111', span_name: name, msg: 'done', duration_ms: 5 };
    writeFileSync(join(dir, 'api.log'), JSON.stringify(line) + '\n');
    return dir;
  }
  const dir = traceFile();
  const file = join(dir, 'api.log');

  it('--expect-span with 100 stars answers at once, found and not found', async () => {
    const started = Date.now();
    const miss = await runCli(['check', TRACE, file, '--expect-span', `api:${'*a'.repeat(50)}${'*'.repeat(50)}b`]);
    expect(miss.code).toBe(1);
    expect(miss.stdout).toMatch(/✘ expect-span/);
    const hit = await runCli(['check', TRACE, file, '--expect-span', `api:${'*a'.repeat(50)}${'*'.repeat(50)}`]);
    expect(hit.code).toBe(0);
    expect(hit.stdout).toMatch(/✔ expect-span/);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('a spec with a 50-star pattern runs (no exit 70)', async () => {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, `- name: stars\n  expect-span: "api:${'*'.repeat(50)}a${'*?'.repeat(50)}"\n- name: slow stars\n  max-span-duration: "${'*'.repeat(50)}:${'*a'.repeat(30)}*=1s"\n`);
    const r = await runCli(['check', TRACE, file, '--spec', spec]);
    expect(r.stderr).not.toMatch(/internal error|Invalid regular expression/);
    expect(r.code).toBe(0);
  });

  it('matches as the regular expression did', () => {
    const toRe = (p: string): RegExp => new RegExp(`^${Array.from(p).map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()|[\]{}]/g, '\\$&'))).join('')}$`, 's');
    const alphabet = ['a', 'b', '*', '?', '.'];
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: rand(7) }, () => alphabet[rand(5)]).join('');
      const value = Array.from({ length: rand(8) }, () => ['a', 'b', '.'][rand(3)]).join('');
      expect(compileGlob(pattern)(value), `${pattern} ~ ${value}`).toBe(toRe(pattern).test(value));
    }
  });
});
