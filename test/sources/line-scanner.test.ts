import { describe, expect, it } from 'vitest';
import { LineScanner } from '../../src/sources/line-scanner.js';
import { newStats, type RawLine } from '../../src/types.js';
import { prng, referenceScan } from './support/reference.js';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const LO = 'a3ce929d0e0e4736';
/** What traceIdNeedles gives for ID: the low half in both cases and its Datadog decimal. */
const NEEDLES = [LO, LO.toUpperCase(), BigInt(`0x${LO}`).toString()];

/** Runs the scanner over `input` cut into pieces of `chunk` bytes. */
function scan(input: string | Buffer, needles: readonly string[] | undefined, chunk: number) {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const stats = newStats();
  const scanner = new LineScanner('x.log', needles, stats);
  const out: RawLine[] = [];
  for (let at = 0; at < bytes.length; at += chunk) out.push(...scanner.push(bytes.subarray(at, at + chunk)));
  out.push(...scanner.end());
  return { lines: out.map((l) => ({ lineNo: l.lineNo, text: l.text })), stats };
}

/** Asserts the scanner agrees with the reference for every chunk size given. */
function expectLikeReference(input: string, needles: readonly string[] | undefined, chunks = [1, 2, 3, 7, 16, 63, 64, 65, 200, 1 << 16]) {
  const want = referenceScan(input, needles);
  for (const chunk of chunks) {
    const got = scan(input, needles, chunk);
    expect({ chunk, lines: got.lines }).toEqual({ chunk, lines: want.lines });
    expect({ chunk, linesRead: got.stats.linesRead }).toEqual({ chunk, linesRead: want.linesRead });
    expect(got.stats.bytesRead).toBe(Buffer.byteLength(input));
  }
  return want;
}

const zap = (traceId: string, msg = 'request done') =>
  `{"level":"info","ts":1764061200.123456,"msg":"${msg}","trace_id":"${traceId}","span_id":"0123456789abcdef"}`;

describe('LineScanner', () => {
  it('hands on exactly the lines holding a needle, with their line numbers', () => {
    const input = [zap('0123456789abcdef0123456789abcdef'), zap(ID), zap('ffffffffffffffff0000000000000000'), zap(ID, 'second'), ''].join('\n');
    const want = expectLikeReference(input, NEEDLES);
    expect(want.lines.map((l) => l.lineNo)).toEqual([2, 4]);
  });

  it('finds a needle wherever a chunk boundary cuts it', () => {
    const line = `${'x'.repeat(37)}${LO}${'y'.repeat(20)}`;
    const input = `aaa\n${line}\nbbb\n`;
    // Every chunk size from 1 to past the input: each cut position inside the needle is hit.
    expectLikeReference(input, NEEDLES, Array.from({ length: input.length + 1 }, (_, i) => i + 1));
  });

  it('handles lines longer than a chunk, and longer than the initial buffer', () => {
    const long = `${'z'.repeat(200_000)}${LO}${'z'.repeat(100_000)}`;
    const input = `short\n${long}\n{${'q'.repeat(150_000)}\nend ${LO}\n`;
    const want = expectLikeReference(input, NEEDLES, [1000, 4096, 1 << 16]);
    expect(want.lines.map((l) => l.lineNo)).toEqual([2, 4]);
  });

  it('keeps a final line without a newline', () => {
    expectLikeReference(`first\nlast ${LO}`, NEEDLES);
    expectLikeReference(`first\nlast without needle`, NEEDLES);
    expect(scan(`a\nb ${LO}`, NEEDLES, 3).lines).toEqual([{ lineNo: 2, text: `b ${LO}` }]);
  });

  it('keeps the CR of CRLF lines', () => {
    const input = `one\r\n${zap(ID)}\r\nthree\r\n`;
    expectLikeReference(input, NEEDLES);
    expect(scan(input, NEEDLES, 5).lines[0]!.text.endsWith('}\r')).toBe(true);
  });

  it('hands a line on once however many needles and hits it holds', () => {
    const line = `${LO} ${LO.toUpperCase()} ${NEEDLES[2]} ${LO}${LO}`;
    const input = `{a\n${line}\n{b\n${line}`;
    const want = expectLikeReference(input, NEEDLES);
    expect(want.lines).toHaveLength(2);
  });

  it('matches the upper-case and decimal forms', () => {
    const input = `x\ntrace=${LO.toUpperCase()}\n{y\n{"dd.trace_id":${NEEDLES[2]}}\n{"z":"A${LO.slice(1)}"}\n`;
    const want = expectLikeReference(input, NEEDLES);
    // Mixed case is not one of the needles: the prefilter stays exact.
    expect(want.lines.map((l) => l.lineNo)).toEqual([2, 4]);
  });

  it('hands on the plain-text lines after a matching line (a printed stack trace), up to a blank or JSON line', () => {
    const input = `{"a":1}\n{"id":"${LO}"}\nTraceback (most recent call last):\n  File "x.py"\nValueError: bad\n{"b":2}\nstray text\n{"id":"${LO}"}\nat one\n\nat two\n`;
    const want = expectLikeReference(input, NEEDLES, [7, 64, 1 << 16]);
    expect(want.lines.map((l) => l.lineNo)).toEqual([2, 3, 4, 5, 8, 9]);
  });

  it('counts empty lines and lines with NUL bytes', () => {
    const input = `\n\n${LO}\n\n\u0000\u0000${LO}\u0000\n\n`;
    const want = expectLikeReference(input, NEEDLES);
    expect(want.linesRead).toBe(6);
    expect(want.lines.map((l) => l.lineNo)).toEqual([3, 5]);
  });

  it('hands on every line when there are no needles', () => {
    const input = `a\n\nb\r\n${zap(ID)}\nlast`;
    expectLikeReference(input, undefined);
    expectLikeReference(input, []);
    expectLikeReference(input, ['']);
  });

  it('never matches a needle that spans a newline', () => {
    expect(scan(`ab\ncd\n`, ['b\nc'], 2).lines).toEqual([]);
  });

  it('decodes UTF-8 across chunk boundaries', () => {
    const input = `naïve ☃ ${LO} 🎉\nöther\n`;
    const want = expectLikeReference(input, NEEDLES);
    expect(want.lines[0]!.text).toBe(`naïve ☃ ${LO} 🎉`);
  });

  it('agrees with the reference on random text dense with partial needles', () => {
    // Pieces of the needles, their probe bytes and newlines, at every alignment: this reaches the
    // kernel's 128-byte main loop, its 16-byte tail and the candidate checks from all sides.
    const rand = prng(7);
    const parts = [...NEEDLES, LO.slice(0, 9), LO.slice(7), NEEDLES[2]!.slice(0, 12), NEEDLES[2]!.slice(5), '7', '6', '8', '\n', '\n', 'abc', '"', ' ', '\r\n', '\u0000'];
    for (let round = 0; round < 20; round++) {
      let input = '';
      const n = 50 + Math.floor(rand() * 400);
      for (let i = 0; i < n; i++) input += parts[Math.floor(rand() * parts.length)];
      expectLikeReference(input, NEEDLES, [1 + Math.floor(rand() * 300), 1 << 16]);
    }
  });

  it('agrees with the reference for short needles and many of them', () => {
    const rand = prng(11);
    const needles = ['q', 'zz', 'Ab', 'aB', 'x-y', '0', '__9'];
    const alphabet = 'qzAaBbxy-0_9\n .';
    let input = '';
    for (let i = 0; i < 5000; i++) input += alphabet[Math.floor(rand() * alphabet.length)];
    expectLikeReference(input, needles, [1, 17, 130, 1 << 16]);
    expectLikeReference(input, ['q'], [5, 1 << 16]);
  });
});
