import { expect } from 'vitest';
import { normaliseLine, type NormaliseOptions } from '../../src/normalise/normalise.js';
import type { LogRecord, RawLine } from '../../src/types.js';

/** Normalises a line that must give exactly one record. */
export function one(text: string, extra: Partial<RawLine> = {}, options?: NormaliseOptions): LogRecord {
  const records = normaliseLine({ text, origin: 'app.log', lineNo: 7, ...extra }, options);
  expect(records).not.toBeNull();
  expect(records).toHaveLength(1);
  return records![0]!;
}

export function many(text: string, extra: Partial<RawLine> = {}): LogRecord[] {
  const records = normaliseLine({ text, origin: 'export.json', lineNo: 1, ...extra });
  expect(records).not.toBeNull();
  return records!;
}

/** The core fields every format test asserts exactly. */
export function core(r: LogRecord) {
  return {
    timeNs: r.timeNs,
    level: r.level,
    message: r.message,
    service: r.service,
    traceId: r.traceId,
    spanId: r.spanId,
    parentSpanId: r.parentSpanId,
    durationMs: r.durationMs,
    error: r.error,
  };
}

/** 2024-06-01T12:00:00Z in ns, the base of most example lines. */
export const NOON = 1717243200n * 1_000_000_000n;
export const MS = 1_000_000n;
