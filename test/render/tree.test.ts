import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../src/render/tree.js';
import { makeStats, makeTrace } from '../support/make-trace.js';
import { checkoutStats, checkoutTrace, inferredTrace, skewTrace } from './fixtures.js';

const plain = { color: false, width: 100 } as const;
const ESC = '\u001b';

/** Rows of the tree itself: from the line after the axis to the first blank line. */
function spanRows(out: string): string[] {
  const lines = out.split('\n');
  const axis = lines.findIndex((l) => /^\s+0\s/.test(l));
  const rows = lines.slice(axis + 1);
  return rows.slice(0, rows.indexOf(''));
}

/** Column (in display cells) where `needle` starts in `line`. */
function columnOf(line: string, needle: string): number {
  const i = line.indexOf(needle);
  return i < 0 ? -1 : stringWidth(line.slice(0, i));
}

describe('renderTree: a five-service trace failing deep in the chain', () => {
  const out = renderTree(checkoutTrace(), checkoutStats, plain);

  it('prints header, axis, gutter, markers and bars exactly', () => {
    expect(out).toMatchInlineSnapshot(`
      "trace 4bf92f3577b34da6a3ce929d0e0e4736 · 1.24s · 6 spans · 4 errors
      services: api-gateway, orders, inventory, payment, notification
      lines: read 1204, matched 38, malformed 2

                                                                   0       310ms     620ms    930ms  1.24s
      api-gateway POST /checkout 502 ✖                      1.24s  ███████████████████████████████████████
      ├─ orders CreateOrder ✖                               1.21s  ███████████████████████████████████████
      │  ├─ inventory Reserve                              40.1ms  ██
      │  └─ payment Charge ✖                                1.15s    █████████████████████████████████████
      │     └─ payment bank-adapter.call ✖ ◀ error origin   1.00s    ████████████████████████████████
      └─ notification SendReceipt                             0ms                                        ┃

      ✖ error origin: payment bank-adapter.call (span f6000000000000f6)
        dial tcp 10.0.3.7:443: i/o timeout after 1000ms
      ✖ also failing (3):
        api-gateway POST /checkout (span a1000000000000a1)
          upstream payment failed
        orders CreateOrder (span c3000000000000c3)
          payment declined
        payment Charge (span e5000000000000e5)
          bank timeout
      "
    `);
  });

  it('has no escape codes and no line wider than the width', () => {
    expect(out).not.toContain(ESC);
    for (const line of out.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(100);
  });

  it('right-aligns durations in one column and starts every bar area at the same column', () => {
    const rows = spanRows(out);
    expect(rows).toHaveLength(6);
    const durationEnds = rows.map((row) => {
      const m = /(\S+ms|\S+s)  +[█┃ ]*$/u.exec(row)!;
      return columnOf(row, m[0]) + m[1]!.length;
    });
    expect(new Set(durationEnds).size).toBe(1);
  });

  it('places each bar by its start and end on the timeline the label column leaves', () => {
    const rows = spanRows(out);
    // The root spans the whole trace, so its first bar cell is where the timeline starts.
    const origin = columnOf(rows[0]!, '█');
    const cells = (row: string): [number, number] => {
      const from = columnOf(row, row.includes('█') ? '█' : '┃') - origin;
      return [from, [...row].filter((c) => c === '█' || c === '┃').length];
    };
    const width = 100 - origin;
    // Labels carry no error messages, so they need 60 columns: the bar gets the other 40 - 1.
    expect(width).toBe(39);
    // [floor(start/total*w), ceil(end/total*w) - that], total 1240 ms.
    const expected = (start: number, end: number): [number, number] => {
      const from = Math.floor((start / 1240) * width);
      return [from, Math.max(1, Math.ceil((end / 1240) * width) - from)];
    };
    expect(cells(rows[0]!)).toEqual([0, width]);
    expect(cells(rows[2]!)).toEqual(expected(20, 60.1)); // inventory
    expect(cells(rows[3]!)).toEqual(expected(70, 1220)); // payment
    expect(cells(rows[4]!)).toEqual(expected(75, 1075)); // bank adapter
    expect(cells(rows[5]!)).toEqual([width - 1, 1]); // zero-length span at 1239.6ms: a tick
    expect(rows[5]!.endsWith('┃')).toBe(true);
  });

  it('marks errors with ✖ and the origin visibly without colour', () => {
    const rows = spanRows(out);
    expect(rows.filter((r) => r.includes('✖'))).toHaveLength(4);
    expect(rows.filter((r) => r.includes('◀ error origin'))).toEqual([expect.stringContaining('bank-adapter')]);
    expect(out).toContain('✖ error origin: payment bank-adapter.call (span f6000000000000f6)\n  dial tcp 10.0.3.7:443: i/o timeout after 1000ms\n');
  });

  it('has no legend when every edge was logged', () => {
    expect(out).not.toContain('legend');
  });
});

describe('renderTree: inferred edges and a placeholder', () => {
  it('marks inferred edges with ~, placeholders with (never logged), and explains both', () => {
    const out = renderTree(inferredTrace(), makeStats({ linesRead: 40, linesMatched: 9 }), plain);
    expect(out).toMatchInlineSnapshot(`
      "trace 0af7651916cd43dd8448eb211c80319c · 200ms · 4 spans · no errors
      services: frontend, cart, checkout, pricing
      lines: read 40, matched 9, malformed 0
      ! structure inferred from timing: lines carry span ids but no parent ids
      ! 1 parent span was referenced but never logged

                                                 0          50.0ms          100ms         150ms      200ms
      frontend GET /cart                  200ms  █████████████████████████████████████████████████████████
      ├~ cart GetCart                     120ms    ████████████████████████████████████
      └─ checkout ghost (never logged)  ≥50.0ms                                         ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄
         └─ pricing Quote                40.0ms                                           ████████████

      legend: ├~ parent inferred from timing · (never logged) referenced as a parent, no line of its own
      "
    `);
  });
});

describe('renderTree: clock skew and a child that outlived its caller', () => {
  it('shows the shift and the outliving child on their rows', () => {
    const out = renderTree(skewTrace(), makeStats({ linesRead: 12, linesMatched: 6, malformedLines: 1 }), plain);
    expect(out).toMatchInlineSnapshot(`
      "trace 1731000000000-deadbeef · 1.00s · 3 spans · 1 error
      services: billing, ledger, mailer
      lines: read 12, matched 6, malformed 1
      ! ledger shifted −750ms (clock skew)

                                                 0           250ms          500ms         750ms      1.00s
      billing Invoice ✖                   500ms  █████████████████████████████
      ├─ ledger Post ⇆ −750ms clock skew  200ms       █████████████
      └─ mailer Notify ↷ outlived caller  600ms                        ███████████████████████████████████

      ✖ failing spans (1):
        billing Invoice (span s1)
          deadline exceeded
      "
    `);
  });
});

describe('renderTree --logs', () => {
  it('prints each span’s lines under it, indented under the gutter', () => {
    const out = renderTree(checkoutTrace(), checkoutStats, { ...plain, logs: true });
    expect(spanRows(out).join('\n')).toMatchInlineSnapshot(`
      "api-gateway POST /checkout 502 ✖                      1.24s  ███████████████████████████████████████
      │       +0ms INFO  request received
      │     +1.24s ERROR request failed status=502 duration=1.24s
      ├─ orders CreateOrder ✖                               1.21s  ███████████████████████████████████████
      │  │    +14.0ms INFO  creating order
      │  ├─ inventory Reserve                              40.1ms  ██
      │  └─ payment Charge ✖                                1.15s    █████████████████████████████████████
      │     └─ payment bank-adapter.call ✖ ◀ error origin   1.00s    ████████████████████████████████
      │             +75.0ms DEBUG calling bank
      │              +1.08s ERROR bank call failed error="dial tcp 10.0.3.7:443: i/o timeout after 1000ms"
      └─ notification SendReceipt                             0ms                                        ┃"
    `);
  });

  it('escapes control characters in log messages', () => {
    const trace = makeTrace({
      spans: [{ id: 'x', service: 'svc', name: 'op', start: 0, duration: 1, logs: [{ at: 0, message: `evil${ESC}[2Jclear\r\nnext` }] }],
    });
    const out = renderTree(trace, makeStats(), { ...plain, logs: true });
    expect(out).toContain('evil\\x1b[2Jclear\\r\\nnext');
    expect(out).not.toContain(ESC);
  });
});

describe('renderTree: widths', () => {
  it('never exceeds the width, from very narrow to wide, with CJK and emoji names', () => {
    const trace = makeTrace({
      traceId: 'a'.repeat(64),
      warnings: ['a warning long enough that it has to be wrapped onto more than one line at narrow widths'],
      spans: [
        { id: 'r', service: '決済サービス', name: '注文を作成する 🧾', start: 0, duration: 90, error: 'タイムアウト 🔥 after 90ms', errorOrigin: true },
        { id: 'c', parent: 'r', service: 'very-long-service-name-for-testing', name: 'x'.repeat(80), start: 5, duration: 10, skewShiftMs: 12.5 },
        { id: 'd', parent: 'c', service: 'svc', name: 'op', start: 6, duration: 1, outlivesParent: true, inferred: true },
      ],
    });
    for (let width = 1; width <= 160; width++) {
      const out = renderTree(trace, makeStats(), { color: width % 2 === 0, width, logs: true, criticalPath: new Set(['r']) });
      for (const line of out.split('\n')) expect(stringWidth(line), `width ${width}: ${line}`).toBeLessThanOrEqual(width);
    }
  });

  it('aligns the duration column after wide (CJK) labels', () => {
    const trace = makeTrace({
      spans: [
        { id: 'r', service: '決済', name: '注文', start: 0, duration: 100 },
        { id: 'c', parent: 'r', service: 'ascii', name: 'op', start: 10, duration: 20 },
      ],
    });
    const rows = spanRows(renderTree(trace, makeStats(), plain));
    expect(columnOf(rows[0]!, '100ms') + 5).toBe(columnOf(rows[1]!, '20.0ms') + 6);
  });

  it('elides ancestry of very deep trees instead of growing the gutter', () => {
    const spans = Array.from({ length: 200 }, (_, i) => ({
      id: `s${i}`,
      parent: i === 0 ? null : `s${i - 1}`,
      service: `svc${i % 3}`,
      name: `op${i}`,
      start: i,
      duration: 400 - i * 2,
    }));
    const out = renderTree(makeTrace({ spans }), makeStats(), plain);
    const last = spanRows(out).at(-1)!;
    expect(last).toMatch(/^⋯ ( {3})+└─ svc1 op199 /);
    for (const line of out.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(100);
  });
});

describe('renderTree: colour', () => {
  it('colours with ANSI codes but still escapes the log text’s own escapes', () => {
    const trace = makeTrace({
      spans: [
        {
          id: 'r', service: 'api', name: `GET /${ESC}]8;;http://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, start: 0, duration: 10,
          error: `boom${ESC}[31m`, errorOrigin: true, logs: [{ at: 1, level: 'error', message: `\u009b2J and \u202eevil` }],
        },
      ],
    });
    const out = renderTree(trace, makeStats(), { color: true, width: 160, logs: true });
    expect(out).toContain(`${ESC}[`);
    // Every ESC in the output starts a colour code (SGR), never one taken from the logs.
    expect(out.match(/\u001b(?!\[[0-9;]*m)/g)).toBeNull();
    expect(out).toContain('GET /\\x1b]8;;http://evil.example\\x1b\\click');
    expect(out).toContain('boom\\x1b[31m');
    expect(out).toContain('\\u009b2J and \\u202eevil');
    expect(out).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
  });

  it('draws critical-path cells distinctly when the path is given', () => {
    const trace = checkoutTrace();
    const onPath = new Set(['a1000000000000a1', 'c3000000000000c3', 'e5000000000000e5', 'f6000000000000f6']);
    const out = renderTree(trace, checkoutStats, { ...plain, criticalPath: onPath });
    const rows = spanRows(out);
    expect(rows[2]).toContain('░░'); // inventory: off the path
    expect(rows[2]).not.toContain('█');
    expect(rows[4]).toContain('█'.repeat(26)); // the bank call: on it
    expect(out).toContain('█ on the critical path, ░ off it');
  });

  it('draws only the given critical sections of a span solid', () => {
    const trace = makeTrace({ spans: [{ id: 'r', service: 'a', name: 'root', start: 0, duration: 100 }] });
    const sections = new Map([['r', [[trace.startNs + 50_000_000n, trace.endNs] as const]]]);
    const rows = spanRows(renderTree(trace, makeStats(), { ...plain, criticalSections: sections }));
    expect(rows[0]).toMatch(/░+█+$/u);
    const light = [...rows[0]!].filter((c) => c === '░').length;
    const solid = [...rows[0]!].filter((c) => c === '█').length;
    // The second half of the span's bar, give or take the cell the boundary falls in.
    expect(Math.abs(light - solid)).toBeLessThanOrEqual(1);
  });
});

describe('renderTree: edge cases', () => {
  it('renders a trace with no spans', () => {
    const out = renderTree(makeTrace({ spans: [] }), makeStats(), plain);
    expect(out).toContain('(no spans)');
  });

  it('renders several roots (orphans) each at the left edge', () => {
    const trace = makeTrace({
      spans: [
        { id: 'a', service: 'one', name: 'first', start: 0, duration: 10 },
        { id: 'b', parent: 'missing', service: 'two', name: 'second', start: 5, duration: 10 },
        { id: 'c', parent: 'b', service: 'three', name: 'child', start: 6, duration: 2 },
      ],
    });
    const rows = spanRows(renderTree(trace, makeStats(), plain));
    expect(rows.map((r) => r.split('  ')[0])).toEqual(['one first', 'two second', '└─ three child']);
  });

  it('is pure: the same input gives the same output', () => {
    expect(renderTree(checkoutTrace(), checkoutStats, plain)).toBe(renderTree(checkoutTrace(), checkoutStats, plain));
  });
});
