// How the scorer judges one trace (scripts/score/score-lib.mjs), on hand-made truth and output.
import { describe, expect, it } from 'vitest';
import { checkTarget, figuresOf, newTally, rowMatches, scoreTrace, traceIdsEqual, type Variant } from '../../scripts/score/score-lib.mjs';

const T0 = 1764061234567000000n;
const at = (ms: number) => (T0 + BigInt(Math.round(ms * 1e6))).toString();

function truthSpan(spanId: string, parentSpanId: string | null, service: string, startMs: number, endMs: number, extra: Record<string, unknown> = {}) {
  return { spanId, parentSpanId, service, name: `${service} op`, kind: 'server', startUnixNano: at(startMs), endUnixNano: at(endMs), durationMs: endMs - startMs, status: 'OK', httpStatus: null, error: false, warning: false, logged: true, ...extra };
}
function outSpan(spanId: string, parentSpanId: string | null, service: string, startMs: number, durationMs: number, extra: Record<string, unknown> = {}) {
  return { spanId, parentSpanId, service, name: `${service} op`, startUnixNano: at(startMs), durationMs, depth: 0, logCount: 1, error: false, inferredParent: false, placeholder: false, errorOrigin: false, ...extra };
}
const variant = (over: Partial<Variant> = {}): Variant => ({ variant: 'v', description: '', skew: [], damagedLines: 0, expect: { parents: 'explicit' }, ...over });
const out = (spans: unknown[], extra: Record<string, unknown> = {}) => ({ traceId: 'abc', warnings: [], warningCount: 0, spans, ...extra });

function score(truthSpans: unknown[], output: unknown, v = variant()) {
  const tally = newTally();
  scoreTrace(tally, { traceId: 'abc', scenario: 's', spans: truthSpans }, output, true, v);
  return figuresOf('row', 'c', v, tally);
}

describe('score-lib', () => {
  // gateway → (never logged) order → payment
  const truth = [
    truthSpan('aa', null, 'gateway', 0, 100),
    truthSpan('bb', 'aa', 'order', 10, 90, { logged: false }),
    truthSpan('cc', 'bb', 'payment', 20, 80, { error: true }),
  ];

  it('a span whose parent never logged should hang under the nearest shown ancestor', () => {
    const f = score(truth, out([outSpan('aa', null, 'gateway', 0, 100), outSpan('cc', 'aa', 'payment', 20, 60, { error: true })]));
    expect([f.spans.recall, f.parent.rate, f.parentService.rate, f.error.recall, f.error.precision]).toEqual([1, 1, 1, 1, 1]);
  });

  it('a placeholder for the unlogged parent makes it the expected parent, and a root is wrong', () => {
    const withPlaceholder = out([
      outSpan('aa', null, 'gateway', 0, 100),
      outSpan('bb', 'aa', 'unknown', 20, 60, { placeholder: true }),
      outSpan('cc', 'bb', 'payment', 20, 60),
    ]);
    const f = score(truth, withPlaceholder);
    expect(f.parent).toMatchObject({ right: 2, total: 2 });
    expect(f.spans).toMatchObject({ logged: 2, recalled: 2 }); // the placeholder is not a recalled span
    expect(f.error).toMatchObject({ tp: 0, fn: 1 });
    const orphan = score(truth, out([outSpan('aa', null, 'gateway', 0, 100), outSpan('cc', null, 'payment', 20, 60)]));
    expect(orphan.parent).toMatchObject({ right: 1, total: 2 });
    expect(orphan.parentService).toMatchObject({ right: 1, total: 2 });
    expect(orphan.examples.wrongParents).toEqual(['s: payment payment op → (root), want gateway gateway op']);
  });

  it('span ids match across case and Datadog decimal spellings; trace ids by their low 64 bits', () => {
    const f = score(truth, out([outSpan('170', null, 'gateway', 0, 100), outSpan('CC', '170', 'payment', 20, 60, { error: true })]));
    expect([f.spans.recall, f.parent.rate]).toEqual([1, 1]);
    expect(traceIdsEqual('4bf92f3577b34da6a3ce929d0e0e4736', 'A3CE929D0E0E4736')).toBe(true);
    expect(traceIdsEqual('12345678901234567890', 'ab54a98ceb1f0ad2')).toBe(true);
    expect(traceIdsEqual('12345678901234567890', 'ab54a98ceb1f0ad3')).toBe(false);
  });

  it('trace-id-only output is matched by service and overlap, one to one', () => {
    const t = [truthSpan('g1', null, 'gateway', 0, 100), truthSpan('o1', 'g1', 'order', 10, 40), truthSpan('o2', 'g1', 'order', 50, 90, { error: true })];
    const o = out([outSpan('x1', null, 'gateway', 0, 100), outSpan('x2', 'x1', 'order', 11, 28), outSpan('x3', 'x1', 'order', 52, 37, { error: true })]);
    const f = score(t, o, variant({ expect: { parents: 'trace-id-only' } }));
    expect([f.spans.recall, f.parent.rate, f.error.recall, f.error.precision]).toEqual([1, 1, 1, 1]);
    // 28 ms for 30 and 37 for 40: outside max(1ms, 5%); the gateway's 100 is exact.
    expect(f.duration).toMatchObject({ spans: 3, within: 1, medianErrorMs: 2 });
  });

  it('a false error and a duration off by more than max(1ms, 5%) show in the figures', () => {
    const t = [truthSpan('aa', null, 'gateway', 0, 100), truthSpan('cc', 'aa', 'payment', 20, 40)];
    const f = score(t, out([outSpan('aa', null, 'gateway', 0, 104, { error: true }), outSpan('cc', 'aa', 'payment', 20, 22)]));
    expect(f.error).toMatchObject({ tp: 0, fp: 1, fn: 0, precision: 0, recall: null });
    expect(f.duration).toMatchObject({ within: 1, spans: 2 });
    expect(checkTarget(f, { errorRecall: 0.95, errorPrecision: 1, durationWithin: 1 })).toEqual([
      'error precision: 0.0% (target ≥ 100.0%)',
      'durations within max(1ms, 5%): 50.0% (target ≥ 100.0%)',
    ]);
  });

  it('skew: found through a warning or a shift of about -offset; children outside their parent are counted unless the truth has them so', () => {
    const v = variant({ skew: [{ service: 'inventory', offsetMs: 750 }] });
    const t = [truthSpan('aa', null, 'gateway', 0, 100), truthSpan('bb', 'aa', 'inventory', 10, 20), truthSpan('cc', 'aa', 'fraud', 50, 3000)];
    const raw = out([outSpan('aa', null, 'gateway', 0, 100), outSpan('bb', 'aa', 'inventory', 760, 10), outSpan('cc', 'aa', 'fraud', 50, 2950)]);
    const unseen = score(t, raw, v);
    expect(unseen.skew).toMatchObject({ affected: 1, found: 0, childrenOutside: 1 });
    const shifted = out([outSpan('aa', null, 'gateway', 0, 100), outSpan('bb', 'aa', 'inventory', 45, 10, { skewShiftMs: -715 }), outSpan('cc', 'aa', 'fraud', 50, 2950)]);
    expect(score(t, shifted, v).skew).toMatchObject({ affected: 1, found: 1, childrenOutside: 0 });
    expect(score(t, { ...raw, warnings: ['inventory shifted −715 ms (clock skew)'] }, v).skew).toMatchObject({ found: 1 });
    expect(score(t, { ...raw, warnings: ['gateway shifted −50 ms (clock skew)'] }, v).skew).toMatchObject({ found: 0 });
    const wrongShift = out([outSpan('aa', null, 'gateway', 0, 100), outSpan('bb', 'aa', 'inventory', 10, 10, { skewShiftMs: -20 }), outSpan('cc', 'aa', 'fraud', 50, 2950)]);
    expect(score(t, wrongShift).falseShiftTraces).toBe(1);
    expect(score(t, wrongShift, v).falseShiftTraces).toBe(0);
    expect(score(t, raw).skew).toBeNull();
  });

  it('target names match variant folders with or without the letter prefix', () => {
    expect(rowMatches('a-default', 'a-default')).toBe(true);
    expect(rowMatches('b-with-parents', 'with-parents')).toBe(true);
    expect(rowMatches('with-parents', 'b-with-parents')).toBe(true);
    expect(rowMatches('c-skew', 'a-default')).toBe(false);
    expect(rowMatches('pino', '*')).toBe(true);
  });
});
