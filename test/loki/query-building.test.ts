import { describe, expect, it } from 'vitest';
import { describeWindow, notFoundInWindowMessage, parseTimeFlag, resolveTimeWindow } from '../../src/cli/time-window.js';
import { UsageError } from '../../src/errors.js';
import { streamSelector, traceQuery } from '../../src/sources/loki/logql.js';
import { parseGoDuration, splitRange } from '../../src/sources/loki/split.js';

const NOW = 1_795_641_369_672_629_544n;
const S = 1_000_000_000n;
const H = 3600n * S;

describe('LogQL', () => {
  it('builds the default query and escapes the id as a LogQL string', () => {
    expect(traceQuery('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('{service_name=~".+"} |= "4bf92f3577b34da6a3ce929d0e0e4736"');
    expect(traceQuery('a"b\\c\nd')).toBe('{service_name=~".+"} |= "a\\"b\\\\c\\nd"');
  });

  it('matches any spelling of the id with one regex of literals', () => {
    expect(traceQuery(['abc', 'A.C'])).toBe('{service_name=~".+"} |~ "abc|A\\\\.C"');
  });

  it('replaces the selector with --selector and narrows it with --service', () => {
    expect(streamSelector({ selector: '{namespace="prod"}' })).toBe('{namespace="prod"}');
    expect(streamSelector({ services: ['api'] })).toBe('{service_name="api"}');
    expect(streamSelector({ selector: '{namespace="prod", service_name=~"x.*"}', services: ['a.b', 'c'] })).toBe('{namespace="prod", service_name=~"a\\\\.b|c"}');
    expect(streamSelector({ selector: '{app=`raw"q`}' })).toBe('{app="raw\\"q"}');
  });

  it('refuses a selector it cannot read, saying why', () => {
    expect(() => streamSelector({ selector: 'namespace="prod"' })).toThrow(UsageError);
    expect(() => streamSelector({ selector: '{namespace="prod"} |= "x"' })).toThrow(/stream selector/);
    expect(() => streamSelector({ selector: '{namespace}' })).toThrow('cannot read the stream selector {namespace}: expected name="value" at "namespace"');
  });
});

describe('time window', () => {
  it('defaults to the last hour', () => {
    expect(resolveTimeWindow({}, NOW)).toEqual({ fromNs: NOW - H, toNs: NOW, how: 'the last 1h', isDefault: true });
  });

  it('centres the default on the time the trace id carries', () => {
    const hint = NOW - 48n * H;
    expect(resolveTimeWindow({}, NOW, hint)).toMatchObject({ fromNs: hint - H / 2n, toNs: hint + H / 2n, isDefault: true });
    expect(resolveTimeWindow({ since: '2h' }, NOW, hint)).toMatchObject({ fromNs: NOW - 2n * H, toNs: NOW });
  });

  it('reads --since and --from/--to in every accepted form', () => {
    expect(resolveTimeWindow({ since: '30m' }, NOW).fromNs).toBe(NOW - 1800n * S);
    expect(resolveTimeWindow({ since: '1d' }, NOW).fromNs).toBe(NOW - 24n * H);
    expect(resolveTimeWindow({ from: 'now-2h', to: 'now-1h' }, NOW)).toMatchObject({ fromNs: NOW - 2n * H, toNs: NOW - H, how: '--from/--to' });
    expect(parseTimeFlag('2h', NOW, '--from')).toBe(NOW - 2n * H);
    expect(parseTimeFlag('2026-11-25T21:00:00Z', NOW, '--from')).toBe(1_795_640_400n * S);
    expect(parseTimeFlag('2026-11-25T22:00:00.123456789+01:00', NOW, '--from')).toBe(1_795_640_400n * S + 123_456_789n);
    expect(parseTimeFlag('1795640400', NOW, '--from')).toBe(1_795_640_400n * S);
    expect(parseTimeFlag('1795640400000', NOW, '--from')).toBe(1_795_640_400n * S);
  });

  it('refuses bad windows with the flag named', () => {
    expect(() => resolveTimeWindow({ since: '1h', from: 'now-2h' }, NOW)).toThrow('give either --since or --from, not both');
    expect(() => resolveTimeWindow({ from: 'yesterday' }, NOW)).toThrow(/^--from takes an RFC3339 time/);
    expect(() => resolveTimeWindow({ since: 'soon' }, NOW)).toThrow("--since takes a duration like 30m, 1h or 2d, not 'soon'");
    expect(() => resolveTimeWindow({ from: 'now', to: 'now-1h' }, NOW)).toThrow(/--from must be before --to/);
  });

  it('says which window was searched and how to widen it', () => {
    const window = resolveTimeWindow({}, 1_795_640_400n * S + H);
    expect(describeWindow(window)).toBe('between 2026-11-25T21:00:00Z and 2026-11-25T22:00:00Z (the last 1h)');
    expect(notFoundInWindowMessage('abc', 'Loki at http://x', window)).toBe(
      'trace abc not found in Loki at http://x between 2026-11-25T21:00:00Z and 2026-11-25T22:00:00Z (the last 1h); widen the window with --since 24h or --from/--to',
    );
  });
});

describe('splitting ranges', () => {
  it('covers the window exactly, with no range over the limit', () => {
    const range = { startNs: NOW - 1000n * H, endNs: NOW };
    const parts = splitRange(range, { parts: 1 });
    expect(parts).toHaveLength(2);
    expect(parts[0]!.startNs).toBe(range.startNs);
    expect(parts.at(-1)!.endNs).toBe(range.endNs);
    parts.forEach((p, i) => {
      expect(p.endNs - p.startNs <= 721n * H).toBe(true);
      if (i > 0) expect(p.startNs).toBe(parts[i - 1]!.endNs);
    });
  });

  it('cuts into --parallel parts, but not below a minute each', () => {
    expect(splitRange({ startNs: 0n, endNs: H }, { parts: 4 })).toHaveLength(4);
    expect(splitRange({ startNs: 0n, endNs: 90n * S }, { parts: 4 })).toHaveLength(1);
    expect(splitRange({ startNs: 5n, endNs: 5n }, { parts: 4 })).toEqual([]);
  });

  it("cuts on Loki's 30-minute grid, into no more parts than the intervals the window touches", () => {
    const M30 = 30n * 60n * S;
    const grid = { parts: 4, alignNs: M30 };
    const lengths = (ranges: { startNs: bigint; endNs: bigint }[]) => ranges.map((r) => r.endNs - r.startNs);
    expect(splitRange({ startNs: 4n * M30, endNs: 6n * M30 }, grid)).toEqual([
      { startNs: 4n * M30, endNs: 5n * M30 },
      { startNs: 5n * M30, endNs: 6n * M30 },
    ]);
    // An hour off the grid touches three intervals: cut at the two grid lines inside it.
    const off = { startNs: 4n * M30 + 600n * S, endNs: 6n * M30 + 600n * S };
    expect(splitRange(off, grid).map((r) => r.startNs)).toEqual([off.startNs, 5n * M30, 6n * M30]);
    expect(lengths(splitRange({ startNs: 0n, endNs: 48n * M30 }, grid))).toEqual([12n * M30, 12n * M30, 12n * M30, 12n * M30]);
    expect(splitRange({ startNs: M30 + S, endNs: M30 + 600n * S }, grid)).toEqual([{ startNs: M30 + S, endNs: M30 + 600n * S }]);
    // The server's limit still holds, on the grid.
    const long = splitRange({ startNs: 0n, endNs: 2000n * M30 }, { parts: 1, alignNs: M30 });
    expect(long).toHaveLength(2);
    for (const r of long) expect(r.endNs - r.startNs <= 721n * H && r.startNs % M30 === 0n).toBe(true);
  });

  it("reads Go durations from Loki's messages", () => {
    expect(parseGoDuration('721h0m0s')).toBe(721n * H);
    expect(parseGoDuration('1h30m')).toBe(90n * 60n * S);
    expect(parseGoDuration('soon')).toBeNull();
  });
});
