import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// `check --all --markdown` draws the first failing traces as Mermaid diagrams and counts the
// rest, and it keeps only those few traces while it judges every other one (check.ts checkAll).
// On the real-library corpus: 32 requests written by pino under OpenTelemetry, none under 1 ms.
describe('check --all --markdown on many failing traces', () => {
  it('draws the first 5 failing traces in table order and says how many more were left out', async () => {
    const r = await runCli(['check', '--all', 'corpus/otel-node/a-default/*', '--max-duration', '1ms', '--markdown']);
    expect(r.code).toBe(1);
    const md = r.stdout;
    const tableOrder = [...md.matchAll(/^\| ❌ \| `([0-9a-f]{32})` \| max-duration 1ms \|/gm)].map((m) => m[1]);
    expect(tableOrder).toHaveLength(32);
    const drawn = [...md.matchAll(/^#### `([0-9a-f]{32})`\n\n```mermaid\nsequenceDiagram/gm)].map((m) => m[1]);
    expect(drawn).toEqual(tableOrder.slice(0, 5));
    expect(md).toContain('27 more failing traces are not drawn: `mcp-trace show <traceId> --format mermaid` draws one.');
  });
});
