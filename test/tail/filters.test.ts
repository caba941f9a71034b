import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { isErrorRecord, lokiLineFilters, parseTailFilters, recordPasses } from '../../src/cli/tail-filters.js';
import type { LogRecord } from '../../src/types.js';
import { makeRecord } from '../support/make-trace.js';

function record(extra: Partial<LogRecord> = {}): LogRecord {
  return makeRecord({ timeNs: 1n, message: 'request handled', service: 'order-service', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', origin: 'x', ...extra });
}

describe('tail filters', () => {
  it('--service keeps only the listed services', () => {
    const f = parseTailFilters({ service: 'order-service, payment-service' });
    expect(recordPasses(record(), f)).toBe(true);
    expect(recordPasses(record({ service: 'payment-service' }), f)).toBe(true);
    expect(recordPasses(record({ service: 'inventory-service' }), f)).toBe(false);
    expect(recordPasses(record({ service: null }), f)).toBe(false);
  });

  it('--level is a minimum; level-less lines with an error count as errors', () => {
    const warn = parseTailFilters({ level: 'warning' });
    expect(warn.minLevel).toBe('warn');
    expect(recordPasses(record({ level: 'info' }), warn)).toBe(false);
    expect(recordPasses(record({ level: 'warn' }), warn)).toBe(true);
    expect(recordPasses(record({ level: 'fatal' }), warn)).toBe(true);
    expect(recordPasses(record({ level: null, error: 'boom' }), parseTailFilters({ level: 'error' }))).toBe(true);
    expect(parseTailFilters({ errors: true, level: 'fatal' }).minLevel).toBe('fatal');
    expect(() => parseTailFilters({ level: 'loud' })).toThrow(UsageError);
  });

  it('--errors keeps the lines that fail a span in show: an error level, an error field, HTTP 5xx, a failed gRPC code', () => {
    const errors = parseTailFilters({ errors: true });
    expect(recordPasses(record({ level: 'error' }), errors)).toBe(true);
    expect(recordPasses(record({ level: null, error: 'boom' }), errors)).toBe(true);
    expect(recordPasses(record({ level: 'warn', error: 'retrying' }), errors)).toBe(true);
    expect(recordPasses(record({ level: 'info', http: { status: 500 } }), errors)).toBe(true);
    expect(recordPasses(record({ level: 'info', grpc: { code: 14 } }), errors)).toBe(true);
    expect(recordPasses(record({ level: 'info', http: { status: 404 } }), errors)).toBe(false);
    expect(recordPasses(record({ level: 'warn' }), errors)).toBe(false);
    expect(recordPasses(record({ level: null }), errors)).toBe(false);
    expect(isErrorRecord(record({ level: 'error' }))).toBe(true);
  });

  it('--grep looks at the message and at fields as key=value', () => {
    const f = parseTailFilters({ grep: 'deadline|status=50[0-9]' });
    expect(recordPasses(record({ message: 'context deadline exceeded' }), f)).toBe(true);
    expect(recordPasses(record({ http: { status: 503 } }), f)).toBe(true);
    expect(recordPasses(record({ attributes: { status: 502 } }), f)).toBe(true);
    expect(recordPasses(record({ error: 'deadline' }), f)).toBe(true);
    expect(recordPasses(record({ attributes: { status: 200 } }), f)).toBe(false);
    expect(() => parseTailFilters({ grep: '(' })).toThrow(/--grep is not a valid regular expression/);
  });

  it('--trace matches the id however it is written (case, 64-bit half)', () => {
    const f = parseTailFilters({ trace: '4BF92F3577B34DA6A3CE929D0E0E4736' });
    expect(recordPasses(record(), f)).toBe(true);
    expect(recordPasses(record({ traceId: 'a3ce929d0e0e4736' }), f)).toBe(true);
    expect(recordPasses(record({ traceId: 'ffffffffffffffffffffffffffffffff' }), f)).toBe(false);
    expect(recordPasses(record({ traceId: null }), f)).toBe(false);
    expect(() => parseTailFilters({ trace: '0000' })).toThrow(/not a trace id/);
  });

  it('pushes the trace id and plain-literal greps into LogQL line filters, and nothing unsafe', () => {
    expect(lokiLineFilters(parseTailFilters({}))).toEqual([]);
    const trace = lokiLineFilters(parseTailFilters({ trace: '4bf92f3577b34da6a3ce929d0e0e4736' }));
    expect(trace).toHaveLength(1);
    expect(trace[0]).toMatch(/^\|~ "/);
    expect(trace[0]).toContain('a3ce929d0e0e4736');
    expect(lokiLineFilters(parseTailFilters({ grep: 'deadline exceeded' }))).toEqual(['|= "deadline exceeded"']);
    // A regex, a key=value field match, or text JSON may escape stays local.
    expect(lokiLineFilters(parseTailFilters({ grep: 'dead.*line' }))).toEqual([]);
    expect(lokiLineFilters(parseTailFilters({ grep: 'status=500' }))).toEqual([]);
    expect(lokiLineFilters(parseTailFilters({ grep: 'say "hi"' }))).toEqual([]);
    expect(lokiLineFilters(parseTailFilters({ grep: 'db.system' }))).toEqual([]);
  });
});
