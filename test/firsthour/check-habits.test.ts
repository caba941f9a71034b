import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 13 item 12: check without an id takes the glob for one; check without an assertion
// passed a failing trace; check --all's failures scrolled away.

const EXAMPLES = 'examples/*.log*';

describe('check and show habits of a new user (spawned CLI)', () => {
  it('a glob in the place of the trace id is a usage error that says what to do, in check and show', async () => {
    const check = await runCli(['check', EXAMPLES, '--no-errors']);
    expect(check.code).toBe(2);
    expect(check.stderr).toBe(
      `mcp-trace: '${EXAMPLES}' names log files, not a trace: give the trace id first (mcp-trace check <traceId> '${EXAMPLES}' …), or check every trace with --all\n`,
    );
    const show = await runCli(['show', 'examples/api-gateway.log']);
    expect(show.code).toBe(2);
    expect(show.stderr).toContain("'examples/api-gateway.log' names log files, not a trace");
  });

  it('without an assertion, check says it checks --no-errors: a failing trace fails, a clean one passes', async () => {
    const failing = await runCli(['check', '4bf92f35', EXAMPLES]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe('mcp-trace: no assertion given: checked that no span fails (--no-errors)\n');
    expect(failing.stdout).toContain('✘ no-errors: 4 of 5 spans failed');
    const clean = await runCli(['check', '7b2e9d4c', EXAMPLES]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('✔ no-errors');
  });

  it('check --all ends with the failing traces alone, then the tally', async () => {
    const r = await runCli(['check', '--all', EXAMPLES, '--max-duration', '1s', '--no-color']);
    expect(r.code).toBe(1);
    const tail = r.stdout.slice(r.stdout.indexOf('\nfailed ('));
    expect(tail.trim().split('\n')).toEqual([
      'failed (1 of 30 traces):',
      expect.stringMatching(/^✘ trace 8d2c6a91f04e4b7fa3e15c9b07d6e218 · /),
      expect.stringMatching(/^ {2}✘ max-duration 1s: trace took /),
      '',
      '30 traces, 1 failed · 1 of 30 assertions failed',
    ]);
  });
});
