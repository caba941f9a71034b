import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth, padEndToWidth, SIMPLE_NARROW, truncateToWidth, wrapToWidth } from '../../src/render/text-width.js';

describe('displayWidth', () => {
  it('agrees with string-width on every character of its fast path', () => {
    for (let c = 0x20; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (!SIMPLE_NARROW.test(ch)) continue;
      expect(displayWidth(ch), `U+${c.toString(16)}`).toBe(stringWidth(ch));
    }
  });

  it('counts CJK and emoji as two columns and combining marks as none', () => {
    expect(displayWidth('注文')).toBe(4);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('cafe\u0301')).toBe(4);
    expect(displayWidth('├─ ✖ ◀')).toBe(6);
  });
});

describe('truncateToWidth', () => {
  it('cuts by columns on grapheme boundaries and marks the cut', () => {
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
    expect(truncateToWidth('注文を作成', 6)).toBe('注文…');
    expect(truncateToWidth('注文を作成', 5)).toBe('注文…');
    expect(truncateToWidth('👍🏽👍🏽👍🏽', 5)).toBe('👍🏽👍🏽…');
    expect(truncateToWidth('abc', 3)).toBe('abc');
    expect(truncateToWidth('abc', 0)).toBe('');
  });
});

describe('padEndToWidth', () => {
  it('pads by columns, not code units', () => {
    expect(padEndToWidth('注', 4)).toBe('注  ');
  });
});

describe('wrapToWidth', () => {
  it('wraps words with an indent and cuts words longer than a line', () => {
    expect(wrapToWidth('one two three four', 9, '  ')).toEqual(['one two', '  three', '  four']);
    expect(wrapToWidth('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    for (const line of wrapToWidth('注文を作成する とても長い名前', 5, ' ')) expect(displayWidth(line)).toBeLessThanOrEqual(5);
  });
});
