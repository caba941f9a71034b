import type { LogRecord } from '../../src/types.js';
import { BASE_NS, makeRecord, msToNs } from '../support/make-trace.js';

/** A normalised record of trace `abc` at `ms` milliseconds after the shared base time. */
export function rec(ms: number, fields: Partial<LogRecord> & { service: string }): LogRecord {
  return makeRecord({ timeNs: msToNs(ms), traceId: 'abc', origin: `${fields.service}.log`, ...fields });
}

export { BASE_NS };
