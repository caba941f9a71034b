// A long batch request: one gateway span, then thousands of items worked one after the other in
// a worker, each with a database call that calls a store service. The lines carry span ids but
// no parent ids, so every edge is inferred. Inference used to compare every entry with every
// span (12 000 spans took 25 s); it now sweeps once, so this finishes within vitest's timeout
// while every edge lands where it belongs.
import { expect, it } from 'vitest';
import { assembleTrace } from '../../src/assemble/assemble.js';
import type { LogRecord } from '../../src/types.js';
import { rec } from './records.js';

const ITEMS = 5000;

function batchRun(): LogRecord[] {
  const out: LogRecord[] = [rec(0, { service: 'gateway', spanId: 'root', spanName: 'POST /batch', message: 'batch received', lineNo: 1 })];
  for (let i = 0; i < ITEMS; i++) {
    const t = 1 + i; // one item a millisecond
    const line = 1 + i * 6;
    out.push(
      rec(t, { service: 'worker', spanId: `item-${i}`, spanName: 'item', message: 'item started', lineNo: line }),
      rec(t + 0.1, { service: 'worker', spanId: `db-${i}`, spanName: 'db.query', message: 'query', lineNo: line + 1 }),
      rec(t + 0.2, { service: 'worker', spanId: `db-${i}`, spanName: 'db.query', message: 'calling store', attributes: { upstream: 'store' }, lineNo: line + 2 }),
      rec(t + 0.3, { service: 'store', spanId: `get-${i}`, spanName: 'GET', message: 'get', lineNo: 1 + i * 2 }),
      rec(t + 0.6, { service: 'store', spanId: `get-${i}`, spanName: 'GET', message: 'got', lineNo: 2 + i * 2 }),
      rec(t + 0.7, { service: 'worker', spanId: `db-${i}`, spanName: 'db.query', message: 'store answered', attributes: { upstream: 'store' }, lineNo: line + 3 }),
      rec(t + 0.9, { service: 'worker', spanId: `item-${i}`, spanName: 'item', message: 'item done', lineNo: line + 4 }),
    );
  }
  out.push(rec(ITEMS + 2, { service: 'gateway', spanId: 'root', spanName: 'POST /batch', message: 'batch done', lineNo: 2 }));
  return out;
}

it(`infers every edge of a ${ITEMS * 3 + 1}-span batch trace: items under the gateway, queries in their item, store calls under their query`, () => {
  const trace = assembleTrace('abc', batchRun());
  expect(trace.spans).toHaveLength(ITEMS * 3 + 1);
  const parentOf = new Map(trace.spans.map((s) => [s.spanId, `${s.parentSpanId} ${s.inferredBy ?? 'logged'}`]));
  const wrong: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const expected: Array<[string, string]> = [
      [`item-${i}`, 'root containment'],
      [`db-${i}`, `item-${i} containment`],
      [`get-${i}`, `db-${i} call`],
    ];
    for (const [span, want] of expected) if (parentOf.get(span) !== want) wrong.push(`${span}: ${parentOf.get(span)} (want ${want})`);
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(parentOf.get('root')).toBe('null logged');
});
