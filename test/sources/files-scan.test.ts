import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource, type FileSourceOptions } from '../../src/sources/files.js';
import { newStats, type RawLine, type ScanStats } from '../../src/types.js';
import { prng, referenceScan } from './support/reference.js';
import { builtWorkerUrl } from './support/worker-build.js';
import { rmSync } from 'node:fs';

const LO = 'a3ce929d0e0e4736';
const NEEDLES = [LO, LO.toUpperCase(), BigInt(`0x${LO}`).toString()];

let dir: string;
let big: string;
let bigText: string;

/** ~6 MB of zap/pino-style lines; a few hundred carry the id in one of its forms. */
function makeLogText(lines: number, seed: number): string {
  const rand = prng(seed);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const r = rand();
    const trace = r < 0.01 ? `${hex(16)}${LO}` : r < 0.015 ? `${hex(16)}${LO.toUpperCase()}` : hex(32);
    if (r > 0.98) out.push(`{"level":30,"time":1764061200123,"msg":"call","dd.trace_id":${r > 0.995 ? NEEDLES[2] : '123'}}`);
    else if (r > 0.97) out.push(''); // blank lines count too
    else if (r > 0.965) out.push(`{"level":"error","msg":"${'long '.repeat(2000)}${trace}"}\r`);
    else out.push(`{"level":"info","ts":1764061200.${i},"msg":"request done","trace_id":"${trace}","span_id":"${hex(16)}","latency":0.0123}`);
  }
  return out.join('\n') + (seed % 2 === 0 ? '\n' : '');
}

async function readAll(paths: string[], needles: readonly string[] | undefined, opts: FileSourceOptions = {}, extra: { signal?: AbortSignal } = {}) {
  const source = await FileSource.open(paths, opts);
  const stats: ScanStats = newStats();
  const progress: [number, number][] = [];
  const batches: RawLine[][] = [];
  for await (const batch of source.read({ needles, stats, onProgress: (d, t) => progress.push([d, t]), ...extra })) batches.push(batch);
  const lines = batches.flat();
  return { lines, stats, progress, batches };
}

const strip = (lines: RawLine[]) => lines.map((l) => ({ lineNo: l.lineNo, text: l.text }));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-trace-files-'));
  bigText = makeLogText(40_000, 2);
  big = join(dir, 'big.log');
  writeFileSync(big, bigText);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileSource scan', () => {
  it('finds the same lines as the reference on a multi-MB file, single-threaded', async () => {
    const want = referenceScan(bigText, NEEDLES);
    expect(want.lines.length).toBeGreaterThan(300);
    const got = await readAll([big], NEEDLES);
    expect(strip(got.lines)).toEqual(want.lines);
    expect(got.stats.linesRead).toBe(want.linesRead);
    expect(got.stats.bytesRead).toBe(Buffer.byteLength(bigText));
  });

  it('gives identical results from the worker path, with small segments and chunks', async () => {
    const want = referenceScan(bigText, NEEDLES);
    const single = await readAll([big], NEEDLES, { scan: { chunkBytes: 4096, segmentBytes: 200_000, workerThreshold: Infinity } });
    const parallel = await readAll([big], NEEDLES, {
      scan: { chunkBytes: 4096, segmentBytes: 200_000, workerThreshold: 0, workerUrl: builtWorkerUrl() },
    });
    const workerOnly = await readAll([big], NEEDLES, {
      scan: { chunkBytes: 4096, segmentBytes: 200_000, workerThreshold: 0, workerUrl: builtWorkerUrl(), mainThreadScans: false },
    });
    expect(strip(single.lines)).toEqual(want.lines);
    expect(strip(parallel.lines)).toEqual(want.lines);
    expect(strip(workerOnly.lines)).toEqual(want.lines);
    expect(parallel.stats).toEqual(single.stats);
    expect(workerOnly.stats).toEqual(single.stats);
    expect(parallel.stats.linesRead).toBe(want.linesRead);
  });

  it('keeps line order when most lines match and both threads must wait for the reader', async () => {
    // Tiny limits: the worker pauses for back-pressure and the main thread stops running ahead.
    const needles = ['"msg"'];
    const want = referenceScan(bigText, needles);
    for (const mainThreadScans of [true, false]) {
      const got = await readAll([big], needles, {
        scan: {
          chunkBytes: 8192,
          segmentBytes: 100_000,
          workerThreshold: 0,
          workerUrl: builtWorkerUrl(),
          mainThreadScans,
          // Slots smaller than the long lines (10 KB): those go as records of their own.
          slots: 2,
          slotBytes: 4096,
          maxHeldBytes: 16_384,
        },
      });
      expect(got.lines.length).toBe(want.lines.length);
      expect(strip(got.lines)).toEqual(want.lines);
      expect(got.batches.every((b) => b.length > 0)).toBe(true);
    }
  });

  it('reads segment edges right: lines longer than a segment, no final newline', async () => {
    const text = makeLogText(3000, 3); // odd seed: no trailing newline
    const path = join(dir, 'edges.log');
    writeFileSync(path, text);
    const want = referenceScan(text, NEEDLES);
    for (const segmentBytes of [61, 4096, 10_001]) {
      const got = await readAll([path], NEEDLES, { scan: { chunkBytes: 512, segmentBytes, workerThreshold: Infinity } });
      expect({ segmentBytes, lines: strip(got.lines) }).toEqual({ segmentBytes, lines: want.lines });
      expect(got.stats.linesRead).toBe(want.linesRead);
    }
  });

  it('hands on every line without needles, across files, counting lines of all files', async () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, 'one\ntwo\n\nfour');
    writeFileSync(b, 'x\r\ny\n');
    const got = await readAll([a, b], undefined, { scan: { chunkBytes: 3, segmentBytes: 5 } });
    expect(got.lines.map((l) => [l.origin === a ? 'a' : 'b', l.lineNo, l.text])).toEqual([
      ['a', 1, 'one'],
      ['a', 2, 'two'],
      ['a', 3, ''],
      ['a', 4, 'four'],
      ['b', 1, 'x\r'],
      ['b', 2, 'y'],
    ]);
    expect(got.stats.linesRead).toBe(6);
    expect(got.stats.bytesRead).toBe(13 + 5);
  });

  it('reads gzip by its magic bytes, whatever the name', async () => {
    const text = makeLogText(2000, 4);
    const gz = join(dir, 'rotated.log.1');
    writeFileSync(gz, gzipSync(text));
    const want = referenceScan(text, NEEDLES);
    const got = await readAll([gz], NEEDLES);
    expect(strip(got.lines)).toEqual(want.lines);
    expect(got.stats.linesRead).toBe(want.linesRead);
  });

  it('reports progress up to the total, and labels lines', async () => {
    const got = await readAll([big], NEEDLES, { labelsFor: () => ({ service_name: 'big' }), scan: { segmentBytes: 1 << 20 } });
    const total = Buffer.byteLength(bigText);
    expect(got.progress.length).toBeGreaterThan(3);
    expect(got.progress.every(([, t]) => t === total)).toBe(true);
    expect(got.progress.map(([d]) => d)).toEqual([...got.progress.map(([d]) => d)].sort((x, y) => x - y));
    expect(got.progress.at(-1)![0]).toBe(total);
    expect(got.lines.every((l) => l.labels?.service_name === 'big' && l.origin === big)).toBe(true);
  });

  it('stops early on abort, with or without a worker', async () => {
    // A needle most lines hold, so that there is a worker (only needles get one) and much to read.
    for (const workerThreshold of [Infinity, 0]) {
      const ac = new AbortController();
      const source = await FileSource.open([big], { scan: { segmentBytes: 100_000, workerThreshold, workerUrl: builtWorkerUrl() } });
      const stats = newStats();
      let lines = 0;
      for await (const batch of source.read({ needles: ['"level"'], stats, signal: ac.signal })) {
        lines += batch.length;
        ac.abort();
      }
      expect(lines).toBeGreaterThan(0);
      expect(stats.linesRead).toBeLessThan(40_000);
    }
  });

  it('reads pipes in one pass, plain or gzipped (sniffed from the content)', async () => {
    const text = makeLogText(3000, 6);
    const want = referenceScan(text, NEEDLES);
    for (const payload of [Buffer.from(text), gzipSync(text)]) {
      const fifo = join(dir, `pipe-${payload.length}`);
      execFileSync('mkfifo', [fifo]);
      // The writer runs in a child process: opening a FIFO blocks until both ends are open.
      const writer = spawn('sh', ['-c', `cat > '${fifo}'`], { stdio: ['pipe', 'ignore', 'inherit'] });
      writer.stdin.end(payload);
      const got = await readAll([fifo], NEEDLES);
      expect(strip(got.lines)).toEqual(want.lines);
      expect(got.stats.linesRead).toBe(want.linesRead);
    }
  });

  it('names the file when it cannot be read', async () => {
    await expect(FileSource.open([join(dir, 'missing.log')])).rejects.toThrow(/missing\.log: no such file/);
  });
});
