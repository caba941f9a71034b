import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 13 item 10: `show --service x` and `show --since 1h` on files were accepted and ignored,
// while `traces --since 1h` filters. On files, a flag that only shapes a Loki query is now a
// usage error that says where it works.

const EXAMPLES = 'examples/*.log*';

describe('flags that would do nothing on files (spawned CLI)', () => {
  it.each([
    [['show', '4bf92f35', EXAMPLES, '--since', '1h'], "show: --since only applies to Loki; on files it would change nothing (traces, map and tail filter files by time: mcp-trace traces --since 1h …): add --loki, or drop it"],
    [['show', '4bf92f35', EXAMPLES, '--service', 'api-gateway'], 'show: --service only applies to Loki; on files it would change nothing (traces and map keep the traces that touch a service, tail its lines: mcp-trace traces --service …): add --loki, or drop it'],
    [['check', '4bf92f35', EXAMPLES, '--no-errors', '--from', 'now-2h'], 'check: --from only applies to Loki; on files it would change nothing (traces and map filter files by time: mcp-trace traces --from … …): add --loki, or drop it'],
    [['check', '--all', EXAMPLES, '--no-errors', '--since', '1h'], 'check: --since only applies to Loki; on files it would change nothing (traces, map and tail filter files by time: mcp-trace traces --since 1h …): add --loki, or drop it'],
    [['traces', EXAMPLES, '--selector', '{app="shop"}'], 'traces: --selector only applies to Loki; on files it would change nothing: add --loki, or drop it'],
    [['map', EXAMPLES, '--page-size', '100'], 'map: --page-size only applies to Loki; on files it would change nothing: add --loki, or drop it'],
  ])('%j is a usage error naming where it works', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`mcp-trace: ${message}\n`);
  });

  it('where they work on files, they still do: traces and map --since, --service', async () => {
    // The examples are from 2025: nothing started in the last hour.
    const traces = await runCli(['traces', EXAMPLES, '--since', '1h', '--service', 'fraud-check']);
    expect(traces.code).toBe(0);
    expect(traces.stdout).toContain('no trace');
    const map = await runCli(['map', EXAMPLES, '--service', 'fraud-check', '--json']);
    expect(map.code).toBe(0);
    expect(JSON.parse(map.stdout).traces).toBeGreaterThan(0);
  });
});
