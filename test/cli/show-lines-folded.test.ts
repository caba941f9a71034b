import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// `show` keeps a trace's lines only for the output modes that draw them (--logs, --format logs,
// html, the exports, -i); the others fold the lines into span facts as `traces` does. Both ways
// must say the same of every span: here the line counts of --json against the lines --logs lists,
// on the real-library corpus (pino under OpenTelemetry, no parent ids, so spans from inference too).
const SOURCE = 'corpus/otel-node/a-default/*';

describe('show without lines kept', () => {
  it("--json's logCount per span equals the lines --json --logs lists for it, on every corpus trace tried", async () => {
    const list = JSON.parse((await runCli(['traces', SOURCE, '--json', '--limit', '6'])).stdout) as Array<{ traceId: string }>;
    expect(list).toHaveLength(6);
    for (const { traceId } of list) {
      type Doc = { spans: Array<{ spanId: string; logCount: number; logs?: unknown[] }> };
      const folded = JSON.parse((await runCli(['show', traceId, SOURCE, '--json'])).stdout) as Doc;
      const kept = JSON.parse((await runCli(['show', traceId, SOURCE, '--json', '--logs'])).stdout) as Doc;
      expect(folded.spans.map((s) => s.spanId)).toEqual(kept.spans.map((s) => s.spanId));
      expect(folded.spans.map((s) => s.logCount)).toEqual(kept.spans.map((s) => s.logs!.length));
      expect(folded.spans.some((s) => s.logCount > 0)).toBe(true);
    }
  });
});
