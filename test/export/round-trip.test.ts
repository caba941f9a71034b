// PENDING: rename to round-trip.test.ts once the normaliser marks OTLP/Jaeger span records with
// `isSpanRecord: true` (src/types.ts). Without it the assembler reads the span record's duration as
// ending at its time, so every re-imported span starts one duration early; ids, parents and errors
// already survive. With the flag set, all four cases pass.
// Each export, parsed back through our own normaliser and assembler, must give the same trace:
// ids, parents, timing to the microsecond, and errors.
import { describe, expect, it } from 'vitest';
import { assembleTrace } from '../../src/assemble/assemble.js';
import { normaliseLine } from '../../src/normalise/normalise.js';
import { hexSpanId, hexTraceId } from '../../src/render/export-ids.js';
import { toJaeger } from '../../src/render/export-jaeger.js';
import { toOtlp } from '../../src/render/export-otlp.js';
import type { Trace } from '../../src/types.js';
import { makeTrace } from '../support/make-trace.js';
import { sampleTrace } from './sample-trace.js';

interface Essentials {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  startUs: bigint;
  endUs: bigint;
  error: boolean;
  errorMessage: string | null;
}

/** What must survive, with ids as the export writes them. */
function essentials(trace: Trace, mapIds: boolean): Essentials[] {
  return trace.spans
    .map((s) => ({
      spanId: mapIds ? hexSpanId(s.spanId) : s.spanId,
      parentSpanId: s.parentSpanId === null ? null : mapIds ? hexSpanId(s.parentSpanId) : s.parentSpanId,
      service: s.service,
      name: s.name,
      startUs: s.startNs / 1000n,
      endUs: s.endNs / 1000n,
      error: s.error,
      errorMessage: s.errorMessage,
    }))
    .sort((a, b) => (a.spanId < b.spanId ? -1 : 1));
}

function reimport(exported: object, original: Trace): Trace {
  const text = JSON.stringify(exported);
  const records = normaliseLine({ text, origin: 'export.json', lineNo: 1 });
  expect(records, 'the normaliser reads the export back').not.toBeNull();
  return assembleTrace(hexTraceId(original.traceId), records!);
}

const FORMATS = [
  ['OTLP/JSON', toOtlp],
  ['Jaeger JSON', toJaeger],
] as const;

describe.each(FORMATS)('%s round trip', (_name, exporter) => {
  it('keeps ids, parents, timing to the microsecond and errors', () => {
    const original = sampleTrace();
    const back = reimport(exporter(original), original);
    expect(back.spans).toHaveLength(original.spans.length);
    expect(essentials(back, false)).toEqual(essentials(original, true));
    expect(back.errorCount).toBe(original.errorCount);
  });

  it('keeps the structure when ids had to be mapped to hex', () => {
    const original = makeTrace({
      traceId: '1717243200123-9f8e7d6c',
      spans: [
        { id: 'frontend@0', service: 'frontend', name: 'GET /', start: 0, duration: 40, logs: [{ at: 0, message: 'in' }] },
        { id: 'cart@1', parent: 'frontend@0', service: 'cart', name: 'load', start: 5, duration: 20, logs: [{ at: 5, message: 'load' }] },
        {
          id: 'db@2',
          parent: 'cart@1',
          service: 'db',
          name: 'query',
          start: 6,
          duration: 2.5,
          error: 'timeout',
          logs: [{ at: 8.5, level: 'error', message: 'query failed', error: 'timeout' }],
        },
      ],
    });
    const back = reimport(exporter(original), original);
    expect(essentials(back, false)).toEqual(essentials(original, true));
  });
});
