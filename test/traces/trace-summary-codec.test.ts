import { describe, expect, it } from 'vitest';
import { packState, unpackState } from '../../src/assemble/trace-summary-codec.js';
import { TraceSummaries } from '../../src/assemble/trace-summary.js';
import type { LogRecord } from '../../src/types.js';
import { rec } from '../assemble/records.js';
import { exampleRecords } from '../check/examples.js';

// Workers hand their summaries to the main thread packed (trace-summary-codec.ts): a packed and
// unpacked state must merge exactly like the live one.

async function recordsInFileOrder(): Promise<LogRecord[]> {
  const all = [...(await exampleRecords()).values()].flat();
  return all.sort((a, b) => (a.origin === b.origin ? a.lineNo - b.lineNo : a.origin < b.origin ? -1 : 1));
}

function rows(s: TraceSummaries) {
  return new Map(s.summaries().map((x) => [x.traceId, x]));
}

describe('trace summary codec', () => {
  it('packed halves merge into the same rows as one reader', async () => {
    const records = await recordsInFileOrder();
    const whole = new TraceSummaries();
    records.forEach((r) => whole.add(r));
    for (const cut of [1, Math.floor(records.length / 3), records.length - 5]) {
      const a = new TraceSummaries();
      const b = new TraceSummaries();
      records.slice(0, cut).forEach((r) => a.add(r));
      records.slice(cut).forEach((r) => b.add(r));
      const merged = new TraceSummaries();
      merged.merge(unpackState(packState(a.state())));
      merged.merge(unpackState(packState(b.state())));
      expect(rows(merged)).toEqual(rows(whole));
    }
  });

  it('keeps a trace with many spans (looked up by index) intact across a pack', () => {
    const lines: LogRecord[] = [];
    for (let i = 0; i < 40; i++) {
      lines.push(rec(i, { service: `svc${i % 3}`, spanId: `s${i % 20}`, parentSpanId: i % 20 === 0 ? null : 's0', message: `m${i}` }));
    }
    const one = new TraceSummaries();
    lines.forEach((r) => one.add(r));
    const a = new TraceSummaries();
    const b = new TraceSummaries();
    lines.slice(0, 25).forEach((r) => a.add(r));
    lines.slice(25).forEach((r) => b.add(r));
    const merged = new TraceSummaries();
    merged.merge(unpackState(packState(a.state())));
    merged.merge(unpackState(packState(b.state())));
    expect(merged.summaries()).toEqual(one.summaries());
    expect(one.summaries()[0]!.spanCount).toBeGreaterThan(20);
  });
});
