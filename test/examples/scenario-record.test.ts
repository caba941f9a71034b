import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli.js';
import { exampleTrace } from '../check/examples.js';

// examples/ is written by the real pino, zap and structlog from a scenario the generator records
// (corpus/generators/examples/record.json). Read back through the real sources and normaliser,
// every trace must be what the scenario ran: its spans, their parents, what they answered and how
// long they took. A field the parser reads wrong on a real line shows here.

interface RecordedSpan {
  service: string;
  spanId: string;
  parentSpanId: string | null;
  clockStartUs: number;
  clockEndUs: number;
  status: number | null;
}
interface RecordedTrace {
  traceId: string;
  ids: 'parent-ids' | 'span-ids' | 'trace-id-only';
  scenario: string | null;
  spans: RecordedSpan[];
}

const RECORD = JSON.parse(readFileSync(join(REPO_ROOT, 'corpus', 'generators', 'examples', 'record.json'), 'utf8')) as { traces: RecordedTrace[] };
/**
 * How far a logged duration may be from the scenario's, by the unit its library logs: pino-http's
 * responseTime is whole ms (Date.now() at each end), zap's latency a time.Duration (µs here),
 * fraud-check's duration_ms has two decimals.
 */
const DURATION_SLACK_MS: Record<string, number> = {
  'api-gateway': 1, 'inventory-service': 1, 'order-service': 0.0011, 'payment-service': 0.0011, 'fraud-check': 0.0051,
};

describe('examples/ read back is the scenario the generator recorded', () => {
  it('records 30 traces, each with one span per service visit', () => {
    expect(RECORD.traces).toHaveLength(30);
    for (const t of RECORD.traces) expect(t.spans.length).toBeGreaterThanOrEqual(2);
  });

  for (const recorded of RECORD.traces.filter((t) => t.ids !== 'trace-id-only')) {
    it(`${recorded.traceId} (${recorded.scenario ?? recorded.ids}): spans, parents, statuses and durations`, async () => {
      const trace = await exampleTrace(recorded.traceId);
      const shown = new Map(trace.spans.map((s) => [s.spanId, s]));
      expect([...shown.keys()].sort()).toEqual(recorded.spans.map((s) => s.spanId).sort());
      for (const r of recorded.spans) {
        const span = shown.get(r.spanId)!;
        expect(span.service, r.spanId).toBe(r.service);
        expect(span.parentSpanId, `parent of ${r.service} ${r.spanId}`).toBe(r.parentSpanId);
        if (r.status === null) continue; // it never answered (the panic): no status, no end
        expect(span.status, `status of ${r.service}`).toEqual({ kind: 'http', status: r.status });
        expect(Math.abs(span.durationMs - (r.clockEndUs - r.clockStartUs) / 1000), `duration of ${r.service}`).toBeLessThanOrEqual(DURATION_SLACK_MS[r.service]!);
      }
    });
  }

  for (const recorded of RECORD.traces.filter((t) => t.ids === 'trace-id-only')) {
    it(`${recorded.traceId} (trace id only): one segment per service visit`, async () => {
      const trace = await exampleTrace(recorded.traceId);
      expect(trace.spans.map((s) => s.service).sort()).toEqual(recorded.spans.map((s) => s.service).sort());
    });
  }
});
