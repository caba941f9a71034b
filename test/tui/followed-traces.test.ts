import { describe, expect, it } from 'vitest';
import { FollowedTraces } from '../../src/cli/followed-traces.js';
import { openLocalSources } from '../../src/cli/source-options.js';
import { readTraceList } from '../../src/cli/trace-list-read.js';
import { readRecords } from '../../src/collect/read-records.js';
import { newStats, type LogRecord } from '../../src/types.js';
import { REPO_ROOT } from '../support/run-cli.js';

// What `ui --follow` holds: every trace's facts (its rows are `traces`'s), the records of the
// latest traces only, within the cap, on the real logs of examples/ and the corpus.

const EXAMPLES = `${REPO_ROOT}/examples/*.log*`;
/** Trace ids only (one span per service visit): assembly folds visits into the facts. */
const TRACE_ONLY = `${REPO_ROOT}/corpus/go-zap/trace-only/*.log`;

async function recordsOf(glob: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  await readRecords(await openLocalSources([glob], true), {
    normaliseOptions: {},
    stats: newStats(),
    keep: (r) => Boolean(r.traceId),
    onRecord: (r) => records.push(r),
  });
  return records;
}

async function tracesRows(glob: string) {
  return (await readTraceList([glob], { sort: 'start', limit: 1000 })).list.rows;
}

describe('the traces ui --follow holds', () => {
  it('holds the records of the latest 5 traces only, never more, and lists every trace as `traces` does', async () => {
    const records = await recordsOf(EXAMPLES);
    const store = new FollowedTraces({ traces: 5, records: 100_000 });
    let mostHeld = 0;
    for (const r of records) {
      store.add(r);
      mostHeld = Math.max(mostHeld, store.heldTraces);
    }
    expect(mostHeld).toBe(5);
    store.refresh();
    const rows = store.list({}, 'start', 1000).rows;
    expect(rows).toHaveLength(30);
    expect(rows).toEqual(await tracesRows(EXAMPLES));
    const held = rows.filter((row) => store.records(row.traceId) !== null);
    expect(held).toHaveLength(5);
    // A held trace has all of its records; the first trace to arrive was let go.
    for (const row of held) expect(store.records(row.traceId)!.length).toBe(row.recordCount);
    expect(store.records(records[0]!.traceId!)).toBeNull();
    expect(store.heldRecords).toBe(held.reduce((n, row) => n + row.recordCount, 0));
  });

  it('never holds more records than the cap, whatever a trace costs', async () => {
    const records = await recordsOf(EXAMPLES);
    const store = new FollowedTraces({ traces: 1000, records: 40 });
    let most = 0;
    for (const r of records) {
      store.add(r);
      most = Math.max(most, store.heldRecords);
    }
    expect(records.length).toBeGreaterThan(400);
    expect(most).toBeLessThanOrEqual(40);
    expect(store.heldRecords).toBeGreaterThan(0);
    store.refresh();
    expect(store.list({}, 'start', 1000).rows).toHaveLength(30);
  });

  it("lists a trace once when a service logs its 64-bit id, as `traces` does, even when that part arrives later", async () => {
    const checkout = '4bf92f3577b34da6a3ce929d0e0e4736';
    // The examples' lines as read, with order-service on B3 64-bit ids: the low half only.
    const records = (await recordsOf(EXAMPLES)).map((r) => (r.traceId === checkout && r.service === 'order-service' ? { ...r, traceId: checkout.slice(16) } : r));
    const store = new FollowedTraces();
    const narrowFirst = records.findIndex((r) => r.traceId === checkout.slice(16));
    for (const r of records.slice(0, narrowFirst)) store.add(r);
    store.refresh();
    for (const r of records.slice(narrowFirst)) store.add(r);
    store.refresh();
    const rows = store.list({}, 'start', 1000).rows;
    expect(rows).toEqual(await tracesRows(EXAMPLES));
    expect(rows.find((row) => row.traceId === checkout)!.services).toContain('order-service');
    expect(store.records(checkout)).toHaveLength(rows.find((row) => row.traceId === checkout)!.recordCount);
  });

  it('assembles the traces again as they grow: rows refreshed halfway through are then those of one read', async () => {
    const records = await recordsOf(TRACE_ONLY);
    const store = new FollowedTraces();
    const half = Math.floor(records.length / 2);
    for (const r of records.slice(0, half)) store.add(r);
    expect(store.refresh()).toBe(true);
    expect(store.refresh()).toBe(false); // nothing new
    for (const r of records.slice(half)) store.add(r);
    store.refresh();
    expect(store.list({}, 'start', 1000).rows).toEqual(await tracesRows(TRACE_ONLY));
  });
});
