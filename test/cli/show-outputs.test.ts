import { describe, expect, it } from 'vitest';
import { DEEP_FAILURE, EXAMPLE_GLOB } from '../check/examples.js';
import { runCli } from '../support/run-cli.js';

// `show`'s output modes come from one registry (src/cli/show-outputs.ts): --json is --format
// json, and flags that only change the drawn tree are refused with a machine format.
describe('show output modes', () => {
  it('--json and --format json print the same object, with each span’s critical-path time', async () => {
    const a = await runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--json']);
    const b = await runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--format', 'json']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const spans = JSON.parse(a.stdout).spans as Array<{ depth: number; durationMs: number; criticalPathMs?: number }>;
    const onPath = spans.filter((s) => s.criticalPathMs !== undefined);
    expect(onPath.length).toBeGreaterThan(1);
    // The critical path's pieces add up to the trace's length (the root waits on them).
    const total = onPath.reduce((sum, s) => sum + s.criticalPathMs!, 0);
    expect(total).toBeCloseTo(JSON.parse(a.stdout).durationMs, 0);
  });

  it('--json --logs carries every span’s lines with all their fields', async () => {
    const r = await runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--json', '--logs']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { spans: Array<{ logCount: number; logs: Array<{ message: string; fields: Record<string, unknown>; timeUnixNano: string }> }> };
    for (const s of out.spans) expect(s.logs).toHaveLength(s.logCount);
    const lines = out.spans.flatMap((s) => s.logs);
    expect(lines.some((l) => Object.keys(l.fields).length > 0)).toBe(true);
    expect(lines.every((l) => /^\d{19}$/.test(l.timeUnixNano))).toBe(true);
  });

  it('refuses flags that a machine format would silently drop (exit 2, one line)', async () => {
    const stats = await runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--json', '--stats']);
    expect(stats.code).toBe(2);
    expect(stats.stderr).toBe('mcp-trace: --stats prints tables for people; it does not combine with --format json\n');
    const both = await runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--json', '--format', 'otlp']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json is --format json: it cannot be combined with --format otlp/);
    const logs = await runCli(['show', DEEP_FAILURE, EXAMPLE_GLOB, '--format', 'jaeger', '--logs']);
    expect(logs.code).toBe(2);
    expect(logs.stderr).toMatch(/--logs does not combine with --format jaeger/);
  });
});
