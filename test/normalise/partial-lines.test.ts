// Pieces of one long line (CRI `P`…`F`, docker `log` without \n) joined per origin and stream
// before parsing, through the shared loop every command runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { normaliseBatch } from '../../src/collect/read-records.js';
import { normaliseLine } from '../../src/normalise/normalise.js';
import { newStats, type LogRecord, type RawLine } from '../../src/types.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { lines, runBatches, runLines } from './batch-helpers.js';
import { NOON } from './helpers.js';

const T1 = '2024-06-01T12:00:00.000000001Z';
const T2 = '2024-06-01T12:00:00.000000002Z';
const T3 = '2024-06-01T12:00:00.000000003Z';
const T4 = '2024-06-01T12:00:00.000000004Z';

/** A docker json-file line carrying `log` as given (a piece unless it ends in \n). */
const docker = (log: string, stream = 'stdout', time = T1) => JSON.stringify({ log, stream, time });

describe('CRI pieces', () => {
  test('P + P + F become one record with the first piece time; no line is malformed', () => {
    const r = runLines([
      `${T1} stdout P {"level":"warn","msg":"a long`,
      `${T2} stdout P  message","trace_id":"4bf92f3577b34da6a3ce`,
      `${T3} stdout F 929d0e0e4736","user":"bob"}`,
    ]);
    expect(r.records).toHaveLength(1);
    const rec = r.records[0]!;
    expect([rec.level, rec.message, rec.traceId, rec.attributes.user]).toEqual(['warn', 'a long message', '4bf92f3577b34da6a3ce929d0e0e4736', 'bob']);
    expect(rec.timeNs).toBe(NOON + 1n);
    expect(rec.lineNo).toBe(1);
    expect(r.stats).toMatchObject({ malformedLines: 0, linesMatched: 3 });
  });

  test('stdout and stderr pieces interleaved in one file are joined per stream', () => {
    const r = runLines([
      `${T1} stdout P {"msg":"out `,
      `${T2} stderr P {"msg":"err `,
      `${T3} stdout F one"}`,
      `${T3} stderr F one","level":"error"}`,
      `${T4} stderr F {"msg":"whole"}`,
    ]);
    expect(r.records.map((x) => [x.message, x.timeNs])).toEqual([
      ['out one', NOON + 1n],
      ['err one', NOON + 2n],
      ['whole', NOON + 4n],
    ]);
    expect(r.stats.malformedLines).toBe(0);
  });

  test('a whole line of the other stream in the middle of a run is its own record', () => {
    const r = runLines([`${T1} stdout P {"msg":"split `, `${T2} stderr F {"msg":"between"}`, `${T3} stdout F line"}`]);
    expect(r.records.map((x) => x.message)).toEqual(['between', 'split line']);
  });

  test('a run goes on across batches', () => {
    const all = lines([`${T1} stdout P {"msg":"across `, `${T2} stdout F batches"}`]);
    const r = runBatches([all.slice(0, 1), all.slice(1)]);
    expect(r.records.map((x) => x.message)).toEqual(['across batches']);
    expect(r.stats.malformedLines).toBe(0);
  });

  test('pieces of different files are not joined', () => {
    const r = runBatches([[...lines([`${T1} stdout P {"msg":"a`], 'a.log'), ...lines([`${T2} stdout F b"}`], 'b.log')]]);
    expect(r.records).toHaveLength(0);
    expect(r.stats.malformedLines).toBe(2);
  });
});

describe('docker json-file pieces', () => {
  test('log strings without \\n are joined until one ends in \\n, per stream', () => {
    const r = runLines([
      docker('{"level":"info","msg":"big ', 'stdout', T1),
      docker('{"msg":"on stderr"}\n', 'stderr', T2),
      docker('payload","n":', 'stdout', T2),
      docker('42}\n', 'stdout', T3),
    ]);
    expect(r.records.map((x) => [x.message, x.timeNs])).toEqual([
      ['on stderr', NOON + 2n],
      ['big payload', NOON + 1n],
    ]);
    expect(r.records[1]!.attributes.n).toBe(42);
    expect(r.stats).toMatchObject({ malformedLines: 0, linesMatched: 4 });
  });

  test('escaped backslashes before an n are not a newline', () => {
    // log = `{"msg":"C:\\n` (a backslash, then n): still a piece
    const r = runLines([docker('{"msg":"C:\\\\n'), docker('ew"}\n')]);
    expect(r.records.map((x) => x.message)).toEqual(['C:\\new']);
  });
});

describe('runs that never complete', () => {
  test('a cut run at the end of input is counted malformed, line by line', () => {
    const r = runLines([`${T1} stdout P {"msg":"never`, `${T2} stdout P  finished`]);
    expect(r.records).toHaveLength(0);
    expect(r.stats.malformedLines).toBe(2);
  });

  test('a run that is whole JSON when input ends is parsed as far as it got', () => {
    const r = runLines([docker('{"msg":"complete', 'stdout', T2), docker(' json"}')]);
    expect(r.records.map((x) => [x.message, x.timeNs])).toEqual([['complete json', NOON + 2n]]);
    expect(r.stats.malformedLines).toBe(0);
  });

  test('a line that is no wrapper of the kind ends the open runs of its origin', () => {
    const r = runLines([`${T1} stdout P {"msg":"cut`, '{"msg":"plain json"}', `${T2} stdout F  tail"}`]);
    expect(r.records.map((x) => x.message)).toEqual(['plain json']);
    expect(r.stats.malformedLines).toBe(2);
  });

  test('missing line numbers (lines dropped by the show prefilter) end a run', () => {
    const raw: RawLine[] = [
      { text: `${T1} stdout P {"msg":"has the id`, origin: 'c.log', lineNo: 4 },
      { text: `${T3} stdout F {"msg":"other"}`, origin: 'c.log', lineNo: 9 },
    ];
    const r = runBatches([raw]);
    expect(r.records.map((x) => x.message)).toEqual(['other']);
    expect(r.stats.malformedLines).toBe(1);
  });

  test('without a LineGroups the batch is the whole input (worker callers)', () => {
    const stats = newStats();
    const got: LogRecord[] = [];
    const sink = { keep: () => true, onRecord: (r: LogRecord) => got.push(r) };
    normaliseBatch(lines([`${T1} stdout P {"msg":"in one `, `${T2} stdout F batch"}`, `${T3} stdout P {"msg":"cut`]), {}, stats, sink);
    expect(got.map((x) => x.message)).toEqual(['in one batch']);
    expect(stats.malformedLines).toBe(1);
  });
});

describe('ordinary JSON lines', () => {
  test('give exactly the records and counts that line-by-line normalising gives', () => {
    let checked = 0;
    for (const file of ['api-gateway.log', 'order-service.log', 'payment-service.log', 'fraud-check.log']) {
      const texts = readFileSync(join(REPO_ROOT, 'examples', file), 'utf8').split('\n').slice(0, -1);
      texts.splice(5, 0, 'not json', '', '{"cut":');
      const raw = lines(texts, file);
      const expected = raw.flatMap((l) => normaliseLine(l) ?? []);
      const malformed = raw.filter((l) => normaliseLine(l) === null).length;
      // uneven batches, the way a source cuts them
      const r = runBatches([raw.slice(0, 7), raw.slice(7, 8), raw.slice(8)]);
      // Grouping adds one thing line by line cannot: a Go panic net/http printed (order-service
      // has one) is a record of its own with its frames, so its lines are not malformed.
      const panics = r.records.filter((x) => x.looseError);
      const panicLines = panics.reduce((n, p) => n + 1 + p.errorStack!.split('\n').length, 0);
      expect(r.records.filter((x) => !x.looseError)).toEqual(expected);
      expect(r.stats.malformedLines).toBe(malformed - panicLines);
      expect(panics.length).toBe(file === 'order-service.log' ? 1 : 0);
      // the 3 added, plus what the file has (order-service: a plain-text log line)
      expect(r.stats.malformedLines).toBeGreaterThanOrEqual(3);
      checked += expected.length;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
