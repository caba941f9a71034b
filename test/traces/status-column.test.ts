// What the root answered, on every `traces` row and in its JSON, read from the same fold as
// `show` (the latest line with a status), so the two cannot disagree.
import { expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const EXAMPLES = 'examples/*.log*';

function rowOf(table: string, idPrefix: string): string {
  const row = table.split('\n').find((l) => l.includes(idPrefix));
  if (!row) throw new Error(`no row for ${idPrefix} in\n${table}`);
  return row;
}

it('the traces table shows the root status: 402 ⚠ for a declined payment, 502 for a failure, 201 for a success', async () => {
  const { code, stdout } = await runCli(['traces', EXAMPLES, '--width', '140', '--limit', '40']);
  expect(code).toBe(0);
  expect(stdout.split('\n')[1]).toMatch(/│ duration │ status │ spans │/);
  expect(rowOf(stdout, '7b2e9d4c')).toMatch(/│\s+402 ⚠ │/);
  expect(rowOf(stdout, '6e1f3b0c')).toMatch(/│\s+502 │/);
  expect(rowOf(stdout, 'ad1a01ff')).toMatch(/│\s+201 │/);
});

it('traces --json carries rootHttpStatus and warningCount, equal to the root span and warning count show --json reports', async () => {
  const rows = JSON.parse((await runCli(['traces', EXAMPLES, '--json', '--limit', '40'])).stdout) as Array<Record<string, unknown>>;
  expect(rows.filter((r) => r.rootHttpStatus !== undefined).length).toBeGreaterThan(10);
  for (const row of rows) {
    const shown = JSON.parse((await runCli(['show', String(row.traceId), EXAMPLES, '--json'])).stdout);
    const root = shown.spans.find((s: { service: string; name: string; placeholder: boolean }) => !s.placeholder && s.service === row.rootService && s.name === row.rootName);
    expect({ id: row.traceId, status: row.rootHttpStatus, warnings: row.warningCount }).toEqual({ id: row.traceId, status: root?.httpStatus, warnings: shown.warningCount });
  }
});

it('traces --format tsv has a rootStatus column', async () => {
  const { stdout } = await runCli(['traces', EXAMPLES, '--format', 'tsv', '--limit', '40']);
  const [head, ...lines] = stdout.trim().split('\n');
  expect(head!.split('\t').at(-1)).toBe('rootStatus');
  expect(lines.find((l) => l.startsWith('7b2e9d4c'))!.split('\t').at(-1)).toBe('402');
});
