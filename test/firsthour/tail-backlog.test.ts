import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { tailUntil } from '../support/tail-until.js';

// Issue 13 item 8: `tail -n` printed each file's last lines in turn, not merged by time; `tail`
// had no --since; --grep matches were not marked.

const times = (stdout: string): string[] => stdout.trimEnd().split('\n').map((l) => l.slice(0, 12));

describe('tail backlog (spawned CLI on the example logs)', () => {
  it('-n merges the files\' last lines by time, then says the gzipped one is not followed', async () => {
    const r = await tailUntil(['examples/*.log*', '-n', '3'], /not followed/);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(15); // 3 of each of the 5 files
    expect(times(r.stdout)).toEqual([...times(r.stdout)].sort());
    // Merged, so services alternate instead of coming in file blocks.
    const services = lines.map((l) => l.split(/ +/)[1]);
    const runs = services.filter((s, i) => i === 0 || s !== services[i - 1]).length;
    expect(runs).toBeGreaterThan(5);
    expect(r.stderr).toBe('mcp-trace: examples/inventory-service.log.gz is gzipped, so a finished file: read once, not followed\n');
  });

  it('--since prints the lines from then on, the plain files merged by time', async () => {
    // The examples are from 2025-11-25: ask for the time since their last 30 seconds began.
    const from = Date.parse('2025-11-25T09:02:40Z');
    const seconds = Math.ceil((Date.now() - from) / 1000);
    const r = await tailUntil(['examples/*.log*', '--since', `${seconds}s`], /not followed/);
    expect(r.code).toBe(0);
    const shown = times(r.stdout);
    expect(shown.length).toBeGreaterThan(5);
    // A gzipped file is streamed once, whole, ahead of the others (never held in memory to merge).
    const plain = times(r.stdout.split('\n').filter((l) => !/ inventory-service /.test(l)).join('\n'));
    expect(plain).toEqual([...plain].sort());
    expect(shown[0]! >= '09:02:39.000').toBe(true); // the second boundary may round by one
    const all = readFileSync(join(REPO_ROOT, 'examples/api-gateway.log'), 'utf8').trimEnd().split('\n').length;
    expect(shown.length).toBeLessThan(all);
  });

  it('--since with a bare number is the usual duration error', async () => {
    const r = await runCli(['tail', 'examples/api-gateway.log', '--since', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mcp-trace: --since takes a duration such as 500ms, 30s or 2m, not '30' (add a unit: 30s or 30ms)\n");
  });

  it('--grep marks what it matched, in colour only', async () => {
    const input = readFileSync(join(REPO_ROOT, 'examples/fraud-check.log'));
    const coloured = await runCli(['tail', '--grep', 'refused', '--color'], { stdin: input });
    expect(coloured.stdout).toContain('connection \u001b[7mrefused\u001b[27m');
    const plain = await runCli(['tail', '--grep', 'refused'], { stdin: input });
    expect(plain.stdout).toContain('connection refused"');
    expect(plain.stdout).not.toContain('\u001b[');
  });
});
