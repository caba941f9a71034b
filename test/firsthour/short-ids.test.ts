import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 13 item 2: the 8-hex ids that `tail` prints find their trace again.

const FULL = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = 'examples/*.log*';
// go-zap's hand-rolled `<unix-ms>-<8 hex>` ids of one run all start with the same digits.
const GO_ZAP = 'corpus/go-zap/trace-only/*.log';

describe('short trace ids (spawned CLI)', () => {
  it('show finds a trace by its first 8 hex, in either case, and prints the same tree as the whole id', async () => {
    const whole = await runCli(['show', FULL, EXAMPLES]);
    const short = await runCli(['show', '4bf92f35', EXAMPLES]);
    const upper = await runCli(['show', '4BF92F35', EXAMPLES]);
    expect(whole.code).toBe(0);
    expect(short.code).toBe(0);
    expect(short.stdout.split('\n')[0]).toMatch(new RegExp(`^trace ${FULL} `));
    expect(short.stdout).toBe(whole.stdout);
    expect(upper.stdout).toBe(whole.stdout);
  });

  it('check runs its assertions on the trace a prefix names', async () => {
    const r = await runCli(['check', '4bf92f3577b3', EXAMPLES, '--no-errors', '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`trace ${FULL}`);
    expect(r.stdout).toContain('no-errors: 4 of 5 spans failed');
  });

  it('a digit prefix is not read as a Datadog decimal id only: 13 digits find the one <unix-ms>-hex id', async () => {
    const r = await runCli(['show', '1796214544540', GO_ZAP, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).traceId).toBe('1796214544540-d5a395cd');
  });

  it('an ambiguous prefix is a usage error that lists the candidates, in show and check', async () => {
    for (const command of ['show', 'check']) {
      const r = await runCli([command, '17962145', GO_ZAP, ...(command === 'check' ? ['--no-errors'] : [])]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^mcp-trace: trace id 17962145 is the start of 23 traces: .* and 15 more; type more of it$/);
      const listed = lines[0]!.match(/\d{13}-[0-9a-f]{8}/g)!;
      expect(listed).toHaveLength(8);
      for (const id of listed) expect(id.startsWith('17962145')).toBe(true);
    }
  });

  it('a typo suggests the nearest ids seen (prefix or whole id), exit 3', async () => {
    const short = await runCli(['show', '4bf92f36', EXAMPLES]);
    expect(short.code).toBe(3);
    expect(short.stderr).toBe(`mcp-trace: trace 4bf92f36 not found in 5 files (481 lines read); did you mean ${FULL}?\n`);
    const whole = await runCli(['check', '4bf92f3577b34da6a3ce929d0e0e4737', EXAMPLES, '--no-errors']);
    expect(whole.code).toBe(3);
    expect(whole.stderr).toContain(`did you mean ${FULL}?`);
  });

  it('no suggestion for an id shorter than a prefix, nor for standard input (read once)', async () => {
    const tooShort = await runCli(['show', '4bf92f3', EXAMPLES]);
    expect(tooShort.code).toBe(3);
    expect(tooShort.stderr).not.toContain('did you mean');
    const piped = await runCli(['show', '4bf92f36'], { stdin: readFileSync('examples/api-gateway.log') });
    expect(piped.code).toBe(3);
    expect(piped.stderr).not.toContain('did you mean');
  });

  it('tail --trace with the 8 hex tail prints keeps exactly the lines of that trace', async () => {
    const input = readFileSync('examples/order-service.log');
    const whole = await runCli(['tail', '--trace', FULL, '--no-color'], { stdin: input, env: { TZ: 'UTC' } });
    const short = await runCli(['tail', '--trace', '4bf92f35', '--no-color'], { stdin: input, env: { TZ: 'UTC' } });
    expect(short.code).toBe(0);
    const lines = short.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toMatch(/ 4bf92f35 /);
    expect(short.stdout).toBe(whole.stdout);
  });
});
