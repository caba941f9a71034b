import { describe, expect, it } from 'vitest';
import { DEEP_FAILURE, EXAMPLE_GLOB } from '../check/examples.js';
import { runCli } from '../support/run-cli.js';

// One parser for every command's durations, counts and widths (src/cli/flags.ts): the same value
// means the same thing everywhere, and a bad one is the same one-line usage error (exit 2).
describe('flag values, one rule for every command', () => {
  it('refuses a bare number as a duration in show, traces, check and Loki options alike', async () => {
    const runs = await Promise.all([
      runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--max-skew', '30']),
      runCli(['traces', EXAMPLE_GLOB, '--min-duration', '30']),
      runCli(['check', DEEP_FAILURE, EXAMPLE_GLOB, '--wait', '30']),
      runCli(['show', DEEP_FAILURE, '--loki', 'http://127.0.0.1:9', '--timeout', '30']),
    ]);
    const flags = ['--max-skew', '--min-duration', '--wait', '--timeout'];
    runs.forEach((r, i) => {
      expect(r.code, flags[i]).toBe(2);
      expect(r.stderr).toBe(`mcp-trace: ${flags[i]} takes a duration such as 500ms, 30s or 2m, not '30' (add a unit: 30s or 30ms)\n`);
    });
  });

  it('reads units the same way everywhere', async () => {
    const a = await runCli(['traces', EXAMPLE_GLOB, '--min-duration', '1s', '--json', '--limit', '100']);
    const b = await runCli(['traces', EXAMPLE_GLOB, '--min-duration', '1000ms', '--json', '--limit', '100']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(JSON.parse(a.stdout).every((row: { durationMs: number }) => row.durationMs >= 1000)).toBe(true);
  });

  it('counts and widths name the flag and the range', async () => {
    const limit = await runCli(['traces', EXAMPLE_GLOB, '--limit', '0']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toBe("mcp-trace: --limit takes a whole number from 1 up, not '0'\n");
    const width = await runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--width', '20']);
    expect(width.code).toBe(2);
    expect(width.stderr).toBe("mcp-trace: --width takes a whole number of columns from 40 to 1000, not '20'\n");
  });
});
