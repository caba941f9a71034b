import { describe, expect, it } from 'vitest';
import { assembleTrace } from '../../src/assemble/assemble.js';
import { TraceSummaries, type TraceSummary } from '../../src/assemble/trace-summary.js';
import { listTraces } from '../../src/analyse/trace-list.js';
import type { LogRecord } from '../../src/types.js';
import { rec } from '../assemble/records.js';
import { DEEP_FAILURE, exampleRecords, TIMEOUT, TRACE_ID_ONLY } from '../check/examples.js';

/** Records in the order the files deliver them: file by file, line by line. */
async function recordsInFileOrder(): Promise<LogRecord[]> {
  const all = [...(await exampleRecords()).values()].flat();
  return all.sort((a, b) => (a.origin === b.origin ? a.lineNo - b.lineNo : a.origin < b.origin ? -1 : 1));
}

function summarise(records: readonly LogRecord[]): Map<string, TraceSummary> {
  const s = new TraceSummaries();
  for (const r of records) s.add(r);
  return new Map(s.summaries().map((x) => [x.traceId, x]));
}

describe('trace summaries', () => {
  it('agree with assembleTrace on every example trace (spans, errors, services, times, root)', async () => {
    const byTrace = await exampleRecords();
    const summaries = summarise(await recordsInFileOrder());
    expect(summaries.size).toBe(byTrace.size);
    expect(summaries.size).toBe(30);
    for (const [id, records] of byTrace) {
      const trace = assembleTrace(id, records);
      const s = summaries.get(id)!;
      const root = trace.roots.filter((r) => !r.placeholder).sort((a, b) => (a.startNs < b.startNs ? -1 : 1))[0]!;
      expect({ id, spans: s.spanCount, errors: s.errorCount, services: s.services, start: s.startNs, end: s.endNs, root: [s.rootService, s.rootName] }).toEqual({
        id,
        spans: trace.spans.length,
        errors: trace.errorCount,
        services: trace.services,
        start: trace.startNs,
        end: trace.endNs,
        root: [root.service, root.name],
      });
    }
  });

  it('give the issue cases their expected rows', async () => {
    const summaries = summarise(await recordsInFileOrder());
    expect(summaries.get(DEEP_FAILURE)).toMatchObject({ spanCount: 5, errorCount: 4, rootService: 'api-gateway', rootName: 'POST /api/orders' });
    expect(summaries.get(TIMEOUT)!.durationMs).toBeGreaterThan(4000);
    expect(summaries.get(TRACE_ID_ONLY)).toMatchObject({ spanCount: 5, errorCount: 0 });
  });

  it('merge: two readers of consecutive halves give the same summaries as one reader', async () => {
    const records = await recordsInFileOrder();
    const whole = summarise(records);
    for (const cut of [1, 100, Math.floor(records.length / 2), records.length - 7]) {
      const a = new TraceSummaries();
      const b = new TraceSummaries();
      records.slice(0, cut).forEach((r) => a.add(r));
      records.slice(cut).forEach((r) => b.add(r));
      a.merge(b.state());
      expect(new Map(a.summaries().map((x) => [x.traceId, x]))).toEqual(whole);
    }
  });

  it('cut service visits at duration lines, across a merge too', () => {
    const lines = [
      rec(0, { service: 'web', message: 'GET /a' }),
      rec(5, { service: 'web', message: 'done', durationMs: 5 }),
      rec(10, { service: 'web', message: 'GET /b' }),
      rec(12, { service: 'web', message: 'done', durationMs: 2, level: 'error' }),
    ];
    const one = summarise(lines).get('abc')!;
    expect(one).toMatchObject({ spanCount: 2, errorCount: 1, rootService: 'web', rootName: 'GET /a', durationMs: 12 });
    const a = new TraceSummaries();
    const b = new TraceSummaries();
    lines.slice(0, 3).forEach((r) => a.add(r));
    lines.slice(3).forEach((r) => b.add(r));
    a.merge(b.state());
    expect(a.summaries()[0]).toEqual(one);
  });

  it('count a never-logged parent as a placeholder span, and root the row at its logged child', () => {
    const s = summarise([
      rec(0, { service: 'api', spanId: 'b', parentSpanId: 'a', message: 'hello' }),
      rec(3, { service: 'db', spanId: 'c', parentSpanId: 'b', message: 'query', durationMs: 2 }),
    ]).get('abc')!;
    expect(s).toMatchObject({ spanCount: 3, services: ['api', 'db'], rootService: 'api', rootName: 'hello' });
  });
});

describe('listTraces', () => {
  it('filters, sorts and cuts, counting what it hid', async () => {
    const all = [...summarise(await recordsInFileOrder()).values()];
    const errors = listTraces(all, { errors: true }, 'errors', 2);
    expect(errors.rows.map((r) => r.traceId)).toEqual([DEEP_FAILURE, TIMEOUT]);
    expect(errors.matched).toBe(3);
    expect(errors.total).toBe(30);

    const slow = listTraces(all, { minDurationMs: 500 }, 'duration', 20);
    expect(slow.rows[0]!.traceId).toBe(TIMEOUT);
    expect(slow.rows.every((r) => r.durationMs >= 500)).toBe(true);

    const fraud = listTraces(all, { services: ['fraud-check'] }, 'start', 100);
    expect(fraud.rows.every((r) => r.services.includes('fraud-check'))).toBe(true);
    expect(fraud.matched).toBeLessThan(30);
    const starts = fraud.rows.map((r) => r.startNs);
    expect([...starts].sort((x, y) => (x > y ? -1 : 1))).toEqual(starts);

    const window = listTraces(all, { fromNs: 1_764_061_200_000_000_000n, toNs: 1_764_061_230_000_000_000n }, 'start', 100);
    expect(window.rows.map((r) => r.traceId).sort()).toEqual([DEEP_FAILURE, '0a149b439917877dbb8b42c9b8911bfd', '3814a90f75b04af922f73f5375daba99', '4a7a2220b835e2f4e731ec1e0915ef83', '45c48c4237bc62bc5cb1f398a6ad5170'].sort());
  });
});
