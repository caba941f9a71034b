import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// Issue 13 item 12: durations printed `4 705 ms` in check but `4.70s` in show; JSON time fields
// were `timeNs` in tail but `timeUnixNano`/`startUnixNano` in show.

const EXAMPLES = 'examples/*.log*';
const TIMEOUT = '8d2c6a91f04e4b7fa3e15c9b07d6e218';

describe('one way to write a duration and a time (spawned CLI)', () => {
  it('check writes the durations show writes', async () => {
    const show = await runCli(['show', TIMEOUT, EXAMPLES, '--no-color']);
    const total = /^trace \S+ · (\S+) ·/.exec(show.stdout)![1]!;
    const fraud = /fraud-check POST \/v1\/score[^\n]*? (\d\S*s) /.exec(show.stdout)![1]!;
    const check = await runCli(['check', TIMEOUT, EXAMPLES, '--max-duration', '1s', '--no-color']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`✘ trace ${TIMEOUT} · ${total} · 5 spans · 3 errors`);
    expect(check.stdout).toContain(`✘ max-duration 1s: trace took ${total} (fraud-check:POST /v1/score ${fraud})`);
    expect(check.stdout).not.toMatch(/\d ms\b/);
  });

  it("tail --json names a line's time timeUnixNano, as show --json --logs does", async () => {
    const input = readFileSync(join(REPO_ROOT, 'examples/fraud-check.log'));
    const tail = await runCli(['tail', '--json', '--trace', '4bf92f35'], { stdin: input });
    const line = JSON.parse(tail.stdout.split('\n')[0]!) as Record<string, unknown>;
    expect(Object.keys(line)[0]).toBe('timeUnixNano');
    expect(line).not.toHaveProperty('timeNs');
    const show = JSON.parse((await runCli(['show', '4bf92f35', 'examples/fraud-check.log', '--json', '--logs'])).stdout) as {
      spans: { logs?: { timeUnixNano: string }[] }[];
    };
    expect(show.spans.flatMap((s) => s.logs ?? []).map((l) => l.timeUnixNano)).toContain(line.timeUnixNano);
  });
});
