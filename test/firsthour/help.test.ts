import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// Issue 13 item 11: every command's --help gets examples, its own flags before the Loki ones
// (under a heading), defaults written one way; `--format json` works in every command.

const COMMANDS = ['show', 'traces', 'tail', 'ui', 'check', 'diff', 'map', 'mcp', 'completion'];
const WITH_LOKI = ['show', 'traces', 'tail', 'ui', 'check', 'diff', 'map'];

describe('--help of every command (spawned CLI)', () => {
  it.each(COMMANDS)('%s --help: 2-4 examples, local flags first, Loki ones under their heading, defaults one way', async (name) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    const text = r.stdout;
    const examples = text.slice(text.indexOf('\nExamples:\n') + 1).trimEnd().split('\n').slice(1);
    expect(text).toContain('\nExamples:\n');
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(4);
    for (const line of examples) expect(line).toMatch(/^ {2}\S.*mcp-trace|^ {2}mcp-trace/);
    if (WITH_LOKI.includes(name)) {
      const own = text.indexOf('\nOptions:\n');
      const loki = text.indexOf('\nLoki options:\n');
      expect(own).toBeGreaterThan(0);
      expect(loki).toBeGreaterThan(own);
      // Every flag that names Loki sits under the Loki heading.
      const ownPart = text.slice(own, loki);
      expect(ownPart).not.toMatch(/^ {2}--(loki|selector|parallel|page-size|org-id|delay-for)\b/m);
    }
    expect(text).not.toMatch(/\(default "|default: "|\(default [^:]/);
  });

  it('--format json is --json in every command that prints JSON', async () => {
    const traces = await runCli(['traces', 'examples/*.log*', '--format', 'json', '--limit', '1']);
    expect(traces.code).toBe(0);
    expect(JSON.parse(traces.stdout)).toHaveLength(1);
    const check = await runCli(['check', '4bf92f35', 'examples/*.log*', '--no-errors', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toBeTruthy();
    const input = readFileSync(join(REPO_ROOT, 'examples/fraud-check.log'));
    const tail = await runCli(['tail', '--format', 'json'], { stdin: input });
    expect(tail.code).toBe(0);
    expect(JSON.parse(tail.stdout.split('\n')[0]!)).toHaveProperty('timeUnixNano');
    const other = await runCli(['tail', '--format', 'yaml'], { stdin: input });
    expect(other.code).toBe(2);
    expect(other.stderr).toBe("mcp-trace: option '--format <format>' argument 'yaml' is invalid. Allowed choices are json.\n");
  });
});
