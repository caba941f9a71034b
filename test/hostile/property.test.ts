// Issue 17: whatever bytes arrive, normalise, assemble and every renderer either use a line or
// count it as malformed; none throws. Seeded random inputs: random bytes, random JSON built from
// the field names mcp-trace looks for (with values of every type and range), JSON nested far
// deeper than any logger writes, and very long lines.
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../scripts/lib/prng.mjs';
import { adjustClockSkew } from '../../src/analyse/clock-skew.js';
import { assembleTrace } from '../../src/assemble/assemble.js';
import { endNormalise, normaliseBatch } from '../../src/collect/read-records.js';
import { newLineGroups } from '../../src/normalise/line-groups.js';
import { toChrome } from '../../src/render/export-chrome.js';
import { toJaeger } from '../../src/render/export-jaeger.js';
import { toOtlp } from '../../src/render/export-otlp.js';
import { renderJson } from '../../src/render/json.js';
import { renderLogs } from '../../src/render/logs.js';
import { renderTree } from '../../src/render/tree.js';
import { newStats, type LogRecord, type RawLine } from '../../src/types.js';

/** mulberry32 (scripts/lib/prng.mjs): the same sequence for a seed everywhere. */
const prng = (seed: number): (() => number) => makeRng(seed).next;

const TRACE_IDS = ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', '1764061234567-ab12cd34', '12345678901234567890'];
const KEYS = [
  'trace_id', 'traceId', 'trace.id', 'dd.trace_id', 'span_id', 'spanId', 'parent_span_id', 'parentSpanId', 'parent.id',
  'service', 'service.name', 'service_name', 'name', 'logger', 'ts', 'time', 'timestamp', '@timestamp', 'level', 'severity',
  'msg', 'message', 'duration_ms', 'duration', 'latency', 'elapsed', 'responseTime', 'status', 'http.status_code', 'statusCode',
  'error', 'err', 'exception', 'stack', 'grpc.code', 'method', 'url', 'upstream', 'peer.service', 'log', 'stream', 'resourceLogs',
  'resourceSpans', 'scopeLogs', 'logRecords', 'attributes', 'key', 'value', 'stringValue', 'kvlistValue', 'values', 'data', 'spans',
  'host', 'pid', 'a', '__proto__', 'constructor', '',
];
const ODD_NUMBERS = [0, -0, -1, 1e300, -1e300, 9e18, 1.5e9, 1.7e12, 1.7e15, 1.7e18, 8.64e15, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, 0.5, -5];
const ODD_STRINGS = [
  'NaN', 'Infinity', '-Infinity', '1e999999', '99999999999999999999999', '-5', '2026-13-45T99:99:99Z', '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00Z', '12.5ms', '1.2s', 'ERROR', 'fatal', '500', '2', '\u0000', '\u001b[2J', '\ud800', '{"a":', ']',
];

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 4 || pick < 0.25) return ODD_NUMBERS[Math.floor(r() * ODD_NUMBERS.length)];
  if (pick < 0.45) return ODD_STRINGS[Math.floor(r() * ODD_STRINGS.length)];
  if (pick < 0.55) return TRACE_IDS[Math.floor(r() * TRACE_IDS.length)];
  if (pick < 0.6) return r() < 0.5 ? null : r() < 0.5;
  if (pick < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  return randomObject(r, depth + 1);
}

function randomObject(r: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 8); i > 0; i--) out[KEYS[Math.floor(r() * KEYS.length)]!] = randomValue(r, depth);
  return out;
}

function nested(r: () => number, depth: number, id: string): string {
  const kind = Math.floor(r() * 3);
  if (kind === 0) return `{"trace_id":"${id}","a":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
  if (kind === 1) return `${'['.repeat(depth)}"${id}"${']'.repeat(depth)}`;
  return `{"trace_id":"${id}","service":"s","attributes":${'[{"a":'.repeat(depth)}0${'}]'.repeat(depth)}}`;
}

function randomLine(r: () => number): string {
  const pick = r();
  const id = TRACE_IDS[Math.floor(r() * TRACE_IDS.length)]!;
  if (pick < 0.15) {
    const bytes = Buffer.alloc(1 + Math.floor(r() * 300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
    return bytes.toString('latin1').replace(/\n/g, ' ');
  }
  if (pick < 0.2) return nested(r, [65, 1_000, 100_000][Math.floor(r() * 3)]!, id);
  if (pick < 0.22) return `{"trace_id":"${id}","msg":"${'x'.repeat(1 + Math.floor(r() * 2_000_000))}"}`;
  const object = randomObject(r, 0);
  if (r() < 0.8) object[r() < 0.5 ? 'trace_id' : 'traceId'] = id;
  const text = JSON.stringify(object);
  // Some lines cut short or wrapped by a container runtime, as logs arrive.
  if (r() < 0.1) return text.slice(0, Math.floor(r() * text.length));
  if (r() < 0.1) return JSON.stringify({ log: text + '\n', stream: 'stdout', time: ODD_STRINGS[Math.floor(r() * 8)] });
  return text;
}

describe('random input through normalise, assemble and the renderers', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`seed ${seed}: nothing throws; every line is read, used or counted as malformed`, () => {
      const r = prng(seed);
      const lines: RawLine[] = Array.from({ length: 250 }, (_, i) => ({ text: randomLine(r), origin: `seed-${seed}.log`, lineNo: i + 1 }));
      const stats = newStats();
      const byTrace = new Map<string, LogRecord[]>();
      const sink = {
        keep: (rec: LogRecord) => rec.traceId !== null,
        onRecord: (rec: LogRecord) => void (byTrace.get(rec.traceId!) ?? byTrace.set(rec.traceId!, []).get(rec.traceId!)!).push(rec),
      };
      const groups = newLineGroups();
      // In batches of varied size: what a batch holds must not matter.
      for (let at = 0; at < lines.length; ) {
        const n = 1 + Math.floor(r() * 40);
        normaliseBatch(lines.slice(at, at + n), {}, stats, sink, groups);
        at += n;
      }
      endNormalise(groups, {}, stats, sink);
      expect(stats.malformedLines).toBeGreaterThan(0);
      expect(stats.malformedLines + stats.linesMatched).toBeLessThanOrEqual(lines.length);
      expect(byTrace.size).toBeGreaterThan(0);
      for (const [id, records] of byTrace) {
        const trace = adjustClockSkew(assembleTrace(id, records), { maxSkewMs: 1000 });
        const options = { color: true, width: 100, logs: true };
        for (const render of [
          () => renderJson(trace, stats),
          () => renderTree(trace, stats, options),
          () => renderLogs(trace, options),
          () => JSON.stringify(toOtlp(trace)),
          () => JSON.stringify(toJaeger(trace)),
          () => JSON.stringify(toChrome(trace)),
        ]) {
          expect(typeof render()).toBe('string');
        }
      }
    });
  }
});
