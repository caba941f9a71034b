import { describe, expect, it } from 'vitest';
import { renderLogLine, renderLogs } from '../../src/render/logs.js';
import { makePainter } from '../../src/render/palette.js';
import { makeRecord, makeTrace, msToNs } from '../support/make-trace.js';
import { checkoutTrace } from './fixtures.js';

const plain = { color: false, width: 100 } as const;

describe('renderLogs (--format logs)', () => {
  it('prints the trace’s lines in time order with time, service, level, span and key fields', () => {
    expect(renderLogs(checkoutTrace(), plain)).toMatchInlineSnapshot(`
      "2024-11-01T12:00:00.000Z  api-gateway  INFO   a1000000  request received
      2024-11-01T12:00:00.014Z  orders       INFO   c3000000  creating order
      2024-11-01T12:00:00.075Z  payment      DEBUG  f6000000  calling bank
      2024-11-01T12:00:01.075Z  payment      ERROR  f6000000  bank call failed  error="dial tcp 10.0.3.7:443: i/o timeout after 1000ms"
      2024-11-01T12:00:01.240Z  api-gateway  ERROR  a1000000  request failed  status=502 duration=1.24s
      "
    `);
  });

  it('merges lines of different spans by time, not by span', () => {
    const trace = makeTrace({
      spans: [
        { id: 'aaaa', service: 'a', start: 0, duration: 10, logs: [{ at: 0, message: 'a1' }, { at: 9, message: 'a2' }] },
        { id: 'bbbb', parent: 'aaaa', service: 'b', start: 1, duration: 5, logs: [{ at: 2, message: 'b1' }] },
      ],
    });
    const messages = renderLogs(trace, plain).trimEnd().split('\n').map((l) => l.split(/\s+/).at(-1));
    expect(messages).toEqual(['a1', 'b1', 'a2']);
  });

  it('puts lines without a time last, and falls back to the span’s service', () => {
    const trace = makeTrace({ spans: [{ id: 'x1', service: 'svc', start: 0, duration: 1 }] });
    const untimed = makeRecord({ timeNs: null, message: 'no time', level: null });
    const timed = makeRecord({ timeNs: msToNs(0), message: 'timed' });
    trace.spans[0]!.records.push(timed, untimed);
    trace.records = [untimed, timed];
    expect(renderLogs(trace, plain)).toMatchInlineSnapshot(`
      "2024-11-01T12:00:00.000Z  svc  INFO   x1        timed
      -                         svc  -      x1        no time
      "
    `);
  });

  it('escapes control characters in messages and errors, even with colour on', () => {
    const trace = makeTrace({
      spans: [{ id: 'x', service: 's', start: 0, duration: 1, logs: [{ at: 0, level: 'error', message: 'a\u001b[2Jb\rc', error: 'x\u202ey z' }] }],
    });
    const out = renderLogs(trace, { color: true, width: 100 });
    expect(out).toContain('a\\x1b[2Jb\\rc');
    expect(out).toContain('error="x\\u202ey z"');
    expect(out.match(/\u001b(?!\[[0-9;]*m)/g)).toBeNull();
    expect(out).toMatch(/\u001b\[[0-9;]*m/);
  });

  it('prints a record’s stack trace indented under its line, escaped', () => {
    const trace = makeTrace({
      spans: [{ id: 'x1', service: 'pay', start: 0, duration: 1, logs: [{ at: 0, level: 'error', message: 'charge failed', error: 'ValueError: bad' }] }],
    });
    trace.spans[0]!.records[0]!.errorStack = 'Traceback (most recent call last):\n  File "/app/pay.py", line 40\n\tat Pay.charge(Pay.java:1)\nValueError: bad\u001b[2J';
    expect(renderLogs(trace, plain)).toMatchInlineSnapshot(`
      "2024-11-01T12:00:00.000Z  pay  ERROR  x1        charge failed  error="ValueError: bad"
          Traceback (most recent call last):
            File "/app/pay.py", line 40
              at Pay.charge(Pay.java:1)
          ValueError: bad\\x1b[2J
      "
    `);
  });

  it('prints nothing for a trace without lines', () => {
    expect(renderLogs(makeTrace({ spans: [{ id: 'x', service: 's', start: 0, duration: 1 }] }), plain)).toBe('');
  });

  it('renders a single record the same way for streaming commands (tail)', () => {
    const record = makeRecord({ timeNs: msToNs(1.5), level: 'warn', message: 'slow', service: null, spanId: 'abcdef0123456789', durationMs: 812 });
    expect(renderLogLine(record, makePainter(false), { service: 'cart', serviceWidth: 6 })).toBe(
      '2024-11-01T12:00:00.001Z  cart    WARN   abcdef01  slow  duration=812ms',
    );
    const coloured = renderLogLine({ ...record, service: 'cart' }, makePainter(true));
    expect(coloured).toContain(makePainter(true).service('cart')('cart'));
  });
});
