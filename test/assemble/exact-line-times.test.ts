// The fold keeps a span's evidence lines packed, each time as an offset from the span's first
// line (assemble/span-lines.ts): a Number while that is exact, the bigint beyond ±2^53 ns (~104
// days). Whatever the spread of a span's clock, the lines inference reads must carry the times
// as logged, to the nanosecond and in position order, and `show` and `traces` must agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleFacts, assembleTrace } from '../../src/assemble/assemble.js';
import { TraceFold } from '../../src/assemble/trace-facts.js';
import { normaliseLine } from '../../src/normalise/normalise.js';
import type { LogRecord } from '../../src/types.js';
import { REPO_ROOT } from '../support/run-cli.js';

const FILE = join(REPO_ROOT, 'corpus', 'otel-node', 'a-default', 'payment-service.log');
const EDGE = 2n ** 53n;

function corpusRecords(): LogRecord[] {
  const lines = readFileSync(FILE, 'utf8').split('\n').filter(Boolean);
  return lines.flatMap((text, i) => normaliseLine({ text, origin: FILE, lineNo: i + 1 }) ?? []);
}

/** A real trace with a span of three or more lines, those lines moved apart by `shifts`. */
function spreadSpan(shifts: readonly bigint[]): { traceId: string; spanId: string; records: LogRecord[]; times: bigint[] } {
  const all = corpusRecords();
  const bySpan = new Map<string, LogRecord[]>();
  for (const r of all) if (r.traceId && r.spanId && r.timeNs !== null) bySpan.set(`${r.traceId} ${r.spanId}`, [...(bySpan.get(`${r.traceId} ${r.spanId}`) ?? []), r]);
  const own = [...bySpan.values()].find((list) => list.length >= shifts.length + 1);
  if (!own) throw new Error(`no span with ${shifts.length + 1} timed lines in ${FILE}`);
  const { traceId, spanId } = own[0]!;
  const records = all.filter((r) => r.traceId === traceId).map((r) => ({ ...r }));
  const moved = records.filter((r) => r.spanId === spanId);
  const base = moved[0]!.timeNs!;
  // The span's later lines go far out from its first (the fold's base for it, in file order).
  shifts.forEach((shift, i) => (moved[i + 1]!.timeNs = base + shift));
  return { traceId: traceId!, spanId: spanId!, records, times: moved.map((r) => r.timeNs!).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

describe('evidence line times', () => {
  it('stay exact to the nanosecond and in order around 2^53 ns from the first line', () => {
    // EDGE - 1 is a Number offset, EDGE and EDGE + 1 are not: 2^53 + 1 has no double. The
    // order makes the fold insert before and between lines already kept.
    const { traceId, spanId, records, times } = spreadSpan([EDGE + 1n, EDGE - 1n, EDGE]);
    const span = assembleTrace(traceId, records).spans.find((s) => s.spanId === spanId)!;
    expect(span.evidence.lines.map((l) => l.timeNs)).toEqual(times);
    expect(span.evidence.first?.timeNs).toBe(times[0]);
    expect(span.evidence.last?.timeNs).toBe(times[times.length - 1]);
  });

  it('are the same whether the records are kept (show) or folded (traces), across 200 days and before the first line', () => {
    const day = 86_400_000_000_000n;
    const spread = spreadSpan([200n * day + 7n, -(200n * day) - 3n]);
    const { traceId, spanId, times } = spread;
    // Read backwards: the fold's base is then another line, and lines come before it.
    const records = [...spread.records].reverse();
    const fold = new TraceFold();
    for (const r of records) fold.add(r);
    const [facts] = fold.finish();
    const folded = assembleFacts(facts!).spans.find((s) => s.spanId === spanId)!;
    const shown = assembleTrace(traceId, records).spans.find((s) => s.spanId === spanId)!;
    expect(folded.evidence.lines.map((l) => l.timeNs)).toEqual(times);
    expect(folded.evidence).toEqual(shown.evidence);
    expect([folded.startNs, folded.endNs]).toEqual([shown.startNs, shown.endNs]);
  });
});
