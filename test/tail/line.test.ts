import { describe, expect, it } from 'vitest';
import { makePainter } from '../../src/render/palette.js';
import { formatRecordJson, formatRecordLine, formatTimeOfDay } from '../../src/render/line.js';
import type { LogRecord } from '../../src/types.js';

function record(extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timeNs: 1795641351880123456n,
    level: 'error',
    message: 'failed to reserve stock',
    service: 'inventory-service',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902d8',
    parentSpanId: null,
    durationMs: 104,
    error: 'context deadline exceeded',
    spanName: null,
    host: null,
    attributes: { caller: 'inventory/handler.go:40' },
    origin: 'loki',
    lineNo: 0,
    ...extra,
  };
}

const plain = { painter: makePainter(false), serviceWidth: 18, timeZone: 'utc' as const };

describe('formatRecordLine', () => {
  it('prints time with ms, service, level, short trace id, message and the key fields', () => {
    expect(formatRecordLine(record({ http: { status: 503 } }), plain)).toBe(
      '21:15:51.880 inventory-service  ERROR 4bf92f35 failed to reserve stock status=503 duration=104ms error="context deadline exceeded"',
    );
  });

  it('keeps columns when time, level, service or trace id are missing', () => {
    const line = formatRecordLine(
      record({ timeNs: null, level: null, service: null, traceId: null, durationMs: null, error: null, message: 'hello' }),
      plain,
    );
    expect(line).toBe('--:--:--.--- -                  -     -        hello');
  });

  it('neutralises escape sequences in every piece of log text', () => {
    const line = formatRecordLine(
      record({ message: 'boom\u001b[2J\u001b]8;;http://x\u0007link', service: 'svc\u001b[31m', error: 'bad\r\nthing' }),
      plain,
    );
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line).toContain('boom\\x1b[2J\\x1b]8;;http://x\\x07link');
    expect(line).toContain('error="bad\\r\\nthing"');
  });

  it('colours the service with the palette shared with show, and the level', () => {
    const painter = makePainter(true, 2);
    const line = formatRecordLine(record(), { ...plain, painter });
    expect(line).toContain(painter.service('inventory-service')('inventory-service '));
    expect(line).toContain(painter.level('error')('ERROR'));
    // The same service always gets the same colour, whoever asks.
    expect(makePainter(true, 2).service('inventory-service')('x')).toBe(painter.service('inventory-service')('x'));
  });

  it('cuts long service names to the column', () => {
    const line = formatRecordLine(record({ service: 'a-very-long-service-name-indeed' }), { ...plain, serviceWidth: 10 });
    expect(line).toContain(' a-very-lo… ERROR');
  });

  it('formats local time when asked for local', () => {
    const d = new Date(1795641351880);
    const expected = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:51.880`;
    expect(formatTimeOfDay(1795641351880123456n, 'local')).toBe(expected);
  });
});

describe('formatRecordJson', () => {
  it('writes every field, BigInt times as decimal strings', () => {
    const parsed = JSON.parse(formatRecordJson(record({ attributes: { big: 12345678901234567890n } }))) as Record<string, unknown>;
    expect(parsed.timeUnixNano).toBe('1795641351880123456');
    expect(parsed).not.toHaveProperty('timeNs');
    expect(parsed.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parsed.attributes).toEqual({ big: '12345678901234567890' });
    expect(parsed.error).toBe('context deadline exceeded');
  });
});
