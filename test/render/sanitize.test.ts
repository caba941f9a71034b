import { describe, expect, it } from 'vitest';
import { needsSanitizing, sanitize } from '../../src/render/sanitize.js';

const ESC = '\u001b';

describe('sanitize', () => {
  it.each([
    ['clear screen', `${ESC}[2J${ESC}[H`, '\\x1b[2J\\x1b[H'],
    ['colour change', `${ESC}[31mred${ESC}[0m`, '\\x1b[31mred\\x1b[0m'],
    ['OSC 8 hyperlink', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, '\\x1b]8;;https://evil.example\\x1b\\click\\x1b]8;;\\x1b\\'],
    ['OSC title with BEL', `${ESC}]0;pwned\u0007`, '\\x1b]0;pwned\\x07'],
    ['carriage return overwrite', 'ok\rFAIL', 'ok\\rFAIL'],
    ['newline and tab', 'a\nb\tc', 'a\\nb\\tc'],
    ['NUL and backspace', 'a\u0000b\u0008c', 'a\\x00b\\x08c'],
    ['DEL', 'a\u007fb', 'a\\x7fb'],
    ['C1 CSI', '\u009b2J', '\\u009b2J'],
    ['C1 OSC/ST', '\u009d0;t\u009c', '\\u009d0;t\\u009c'],
    ['bidi override (RLO)', 'user\u202egnp.exe', 'user\\u202egnp.exe'],
    ['bidi embeddings and pop', '\u202a\u202b\u202c\u202d', '\\u202a\\u202b\\u202c\\u202d'],
    ['bidi isolates', '\u2066x\u2067y\u2068z\u2069', '\\u2066x\\u2067y\\u2068z\\u2069'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
  ])('escapes %s', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
    expect(needsSanitizing(input)).toBe(true);
  });

  it.each([
    ['ascii', 'GET /api/v1/orders?id=42 200'],
    ['CJK', '注文を作成する'],
    ['emoji with modifier', '👍🏽 done'],
    ['combining accents', 'café'],
    ['backslashes stay as they are', 'C:\\temp\\x1b.txt'],
  ])('leaves %s untouched', (_name, input) => {
    expect(sanitize(input)).toBe(input);
    expect(needsSanitizing(input)).toBe(false);
  });

  it('leaves no raw control or bidi character in any escaped text', () => {
    let all = '';
    for (let c = 0; c < 0x2100; c++) all += String.fromCharCode(c);
    expect(sanitize(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });
});
