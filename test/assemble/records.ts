import type { LogRecord } from '../../src/types.js';

const BASE_NS = 1_764_061_200_000_000_000n;

/** A normalised record at `ms` milliseconds after a fixed base time. */
export function rec(ms: number, fields: Partial<LogRecord> & { service: string }): LogRecord {
  return {
    timeNs: BASE_NS + BigInt(Math.round(ms * 1e6)),
    level: 'info',
    message: '',
    traceId: 'abc',
    spanId: null,
    parentSpanId: null,
    durationMs: null,
    error: null,
    spanName: null,
    host: null,
    attributes: {},
    origin: `${fields.service}.log`,
    lineNo: 1,
    ...fields,
  };
}

export { BASE_NS };
