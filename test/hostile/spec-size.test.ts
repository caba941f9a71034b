import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 18 item 8: a spec is read to at most 1 MiB; beyond that it is a usage error (exit 2) at
// once, instead of 70 s, 4 GB and an internal error from spreading its rules into an array.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = 'examples/*.log*';

describe('spec size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-h18-'));
  const rule = (i: number): string => `- name: rule ${i}\n  expect-service: api-gateway\n`;

  it('a spec over 1 MiB is a usage error, quickly', async () => {
    const spec = join(dir, 'huge.yaml');
    writeFileSync(spec, Array.from({ length: 120_000 }, (_, i) => rule(i)).join(''));
    const started = Date.now();
    const r = await runCli(['check', TRACE, EXAMPLES, '--spec', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mcp-trace: the spec file ${spec} is larger than 1 MiB: a spec is a list of rules, not data\n`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.skipIf(!existsSync('/dev/zero'))('an endless spec (/dev/zero; skipped where there is none) is a usage error too', async () => {
    const r = await runCli(['check', TRACE, EXAMPLES, '--spec', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than 1 MiB/);
  });

  it('a large spec under the cap still runs every rule', async () => {
    const spec = join(dir, 'large.yaml');
    writeFileSync(spec, Array.from({ length: 5_000 }, (_, i) => rule(i)).join(''));
    const r = await runCli(['check', TRACE, EXAMPLES, '--spec', spec, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"rule 4999"');
  });
});
