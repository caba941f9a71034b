import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { normaliseLine, type NormaliseOptions } from '../../src/normalise/normalise.js';
import type { LogRecord } from '../../src/types.js';

// `traces` normalises with attributes:false, which takes cheaper paths through the key walk.
// Everything but the attributes must come out exactly as with attributes on.

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

function exampleLines(): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(EXAMPLES).filter((f) => f.includes('.log'))) {
    const bytes = readFileSync(join(EXAMPLES, name));
    lines.push(...(name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n').filter((l) => l !== ''));
  }
  return lines;
}

const CRAFTED = [
  // nested, dotted and mixed alias paths; transparent `attributes`; unused objects and arrays
  '{"log.level":"warn","log":{"origin":{"file.name":"a.go"}},"service":{"name":"svc"},"trace.id":"AB12","span":{"id":"CD34"},"@timestamp":"2024-06-01T12:00:00.5+02:00","message":"m"}',
  '{"time":"2024-06-01T12:00:00Z","attributes":{"http.method":"get","http.route":"/x","http.status_code":503},"trace_id":"0xABCDEF","extra":{"deep":{"er":[1,2]}}}',
  // a bare id above 2^53 in a matched key and in an unmatched one
  '{"dd":{"trace_id":12345678901234567890,"span_id":9007199254740993},"other":12345678901234567890,"msg":"x","ts":1717243200.123456}',
  '{"level":50,"time":1717243200123,"pid":1,"hostname":"h","name":"api","err":{"type":"Error","message":"boom","stack":"Error: boom\\n at x"},"trace_id":"t1","msg":"failed"}',
  '{"level":"info","ts":1717243200.5,"caller":"a.go:1","msg":"done","trace_id":"t2","latency":0.25,"grpc.method":"/pkg.Svc/Call","grpc.code":14}',
  '2024-06-01T12:00:00.123456789Z stdout F {"msg":"cri","trace_id":"t3","custom_id":"c9"}',
];

function withoutAttributes(records: LogRecord[] | null): unknown {
  return records?.map(({ attributes: _unused, ...rest }) => rest) ?? null;
}

describe('normaliseLine with attributes:false', () => {
  const cases: Array<[string, NormaliseOptions]> = [
    ['no overrides', {}],
    ['overrides', { traceField: 'custom_id', serviceField: 'log.origin.file.name' }],
  ];
  it.each(cases)('gives the same records as with attributes, bar the attributes (%s)', (_label, options) => {
    const lines = [...exampleLines(), ...CRAFTED];
    expect(lines.length).toBeGreaterThan(200);
    for (const [i, text] of lines.entries()) {
      const raw = { text, origin: 'payment-service.log', lineNo: i + 1, labels: { service_name: 'payment-service' } };
      const full = normaliseLine(raw, options);
      const lean = normaliseLine(raw, { ...options, attributes: false });
      expect(withoutAttributes(lean), text).toEqual(withoutAttributes(full));
      for (const r of lean ?? []) expect(r.attributes).toEqual({});
    }
  });
});
