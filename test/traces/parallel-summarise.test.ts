import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packRows, unpackRows } from '../../src/assemble/trace-row-codec.js';
import type { TraceSummary } from '../../src/assemble/trace-summary.js';
import { summariseInParallel } from '../../src/cli/parallel-summarise.js';
import { RangeClaims } from '../../src/cli/range-claims.js';
import { fileLabels } from '../../src/cli/source-options.js';
import { summariseTraces } from '../../src/cli/summarise-traces.js';
import { SourceError } from '../../src/errors.js';
import { FileSource } from '../../src/sources/files.js';
import { REPO_ROOT } from '../support/run-cli.js';

// `traces` on big files reads them on several threads (cli/parallel-summarise.ts). Whatever the
// cuts, the rows must be the serial reader's. A tiny grid (units and reads of a few KiB, given to
// both readers) puts cuts everywhere, also inside stack traces and container pieces.

/** The worker as built (`npm test` builds dist/ first): a worker thread cannot load TypeScript. */
const WORKER = new URL('../../dist/cli/summarise-worker.js', import.meta.url);
const EXAMPLES = ['api-gateway.log', 'order-service.log', 'payment-service.log', 'fraud-check.log'].map((f) => join(REPO_ROOT, 'examples', f));
const OPTIONS = { attributes: false };

interface Grid {
  segmentBytes: number;
  chunkBytes: number;
}

async function serialRows(paths: string[], grid: Grid): Promise<TraceSummary[]> {
  const source = await FileSource.open(paths, { labelsFor: fileLabels, scan: grid });
  return byId((await summariseTraces(source, OPTIONS)).summaries.summaries());
}

async function parallelRows(paths: string[], threads: number, grid: Grid): Promise<TraceSummary[]> {
  const read = await summariseInParallel(paths, fileLabels, OPTIONS, threads, { ...grid, workerUrl: WORKER });
  return byId(read!.rows);
}

function byId(rows: TraceSummary[]): TraceSummary[] {
  return [...rows].sort((a, b) => (a.traceId < b.traceId ? -1 : 1));
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mcp-trace-par-')), name);
  writeFileSync(path, text);
  return path;
}

/**
 * Records of 12 traces, each its own span, every fifth followed by a Java stack trace: only the
 * stack makes that span an error, so a stack lost at a cut shows as one error fewer.
 */
function logWithStacks(): string {
  const lines: string[] = [];
  for (let i = 0; i < 240; i++) {
    const trace = (i % 12).toString(16).padStart(32, 'a');
    const span = i.toString(16).padStart(16, 'b');
    lines.push(JSON.stringify({ level: 'info', time: 1764061200000 + i * 7, trace_id: trace, span_id: span, service: `svc-${i % 3}`, msg: `step ${i}` }));
    if (i % 5 === 4) {
      lines.push(`java.lang.IllegalStateException: step ${i} failed`);
      for (let f = 0; f < 6; f++) lines.push(`\tat com.acme.Pay.charge${f}(Pay.java:${40 + f})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('traces on several threads', () => {
  it('gives the serial rows for the examples, with cuts everywhere and 2 or 3 threads', async () => {
    for (const grid of [
      { segmentBytes: 2048, chunkBytes: 512 },
      { segmentBytes: 5000, chunkBytes: 1500 },
    ]) {
      const serial = await serialRows(EXAMPLES, grid);
      expect(serial).toHaveLength(30);
      for (const threads of [2, 3]) expect(await parallelRows(EXAMPLES, threads, grid)).toEqual(serial);
    }
  });

  it('attaches stack traces as the serial reader does', async () => {
    const path = tempFile('payment-service.log', logWithStacks());
    for (const grid of [
      { segmentBytes: 700, chunkBytes: 700 },
      { segmentBytes: 4000, chunkBytes: 256 },
      { segmentBytes: 2500, chunkBytes: 333 },
    ]) {
      const serial = await serialRows([path], grid);
      // 48 stacks, each making its span an error wherever reads end: a record waits for its
      // stack across reads (normalise/line-groups.ts).
      expect(serial.reduce((n, r) => n + r.errorCount, 0)).toBeGreaterThan(24);
      expect(serial.reduce((n, r) => n + r.errorCount, 0)).toBe(48);
      for (const threads of [2, 3]) expect(await parallelRows([path], threads, grid)).toEqual(serial);
    }
  });

  it('folds a trace logged under its 64-bit and 128-bit ids into one row, whichever thread reads each', async () => {
    const wide = '4bf92f3577b34da6a3ce929d0e0e4736';
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      lines.push(JSON.stringify({ level: 'info', time: 1764061200000 + i, service: 'svc', trace_id: (i + 1).toString(16).padStart(32, '0'), span_id: (i + 1).toString(16).padStart(16, '0'), msg: `m${i}` }));
    }
    lines.splice(5, 0, JSON.stringify({ level: 'info', time: 1764061200000, service: 'api-gateway', trace_id: wide, span_id: '00f067aa0ba902b7', msg: 'in' }));
    lines.push(JSON.stringify({ level: 'info', time: 1764061200010, service: 'legacy-billing', trace_id: wide.slice(16), span_id: '1111222233334444', parent_span_id: '00f067aa0ba902b7', msg: 'charge' }));
    const path = tempFile('mixed.log', `${lines.join('\n')}\n`);
    const grid = { segmentBytes: 4096, chunkBytes: 1024 };
    const serial = await serialRows([path], grid);
    expect(serial).toHaveLength(201);
    expect(serial.find((r) => r.traceId === wide)).toMatchObject({ spanCount: 2, services: ['api-gateway', 'legacy-billing'] });
    for (const threads of [2, 3, 4]) expect(await parallelRows([path], threads, grid)).toEqual(serial);
  });

  it('keeps container pieces whole: a file of docker lines goes to one thread', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) {
      const record = JSON.stringify({ level: 'info', time: 1764061200000 + i, trace_id: (i % 7).toString(16).padStart(32, 'c'), span_id: (i % 21).toString(16).padStart(16, 'd'), msg: `m${i} ${'x'.repeat(40)}` });
      // Every third record cut into two pieces, as docker does with long lines.
      const pieces = i % 3 === 0 ? [record.slice(0, 30), `${record.slice(30)}\n`] : [`${record}\n`];
      for (const piece of pieces) lines.push(JSON.stringify({ log: piece, stream: 'stdout', time: '2025-11-25T09:00:00.000000000Z' }));
    }
    const path = tempFile('order-service.log', `${lines.join('\n')}\n`);
    const grid = { segmentBytes: 2000, chunkBytes: 1024 };
    const serial = await serialRows([path], grid);
    expect(serial).toHaveLength(7);
    expect(await parallelRows([path], 2, grid)).toEqual(serial);
  });

  it('turns a reader thread that fails into one SourceError', async () => {
    const broken = tempFile('broken-worker.mjs', "throw new Error('out of memory');\n");
    const read = summariseInParallel(EXAMPLES, fileLabels, OPTIONS, 2, { workerUrl: new URL(`file://${broken}`) });
    await expect(read).rejects.toThrow(SourceError);
    await expect(read).rejects.toThrow(/^a reader thread failed: out of memory$/);
  });

  it('leaves gzip to the serial reader', async () => {
    expect(await summariseInParallel([join(REPO_ROOT, 'examples', 'inventory-service.log.gz')], fileLabels, OPTIONS, 2)).toBeNull();
  });
});

describe('range claims', () => {
  it('hands out every unit once while threads take from both ends of each segment', () => {
    const claims = RangeClaims.create([5, 3, 0, 4]);
    const seen: number[] = [];
    // Thread 0 reads its segment from the front while thread 1 takes from the back of the busiest.
    for (let turn = 0; seen.length < 12; turn++) {
      const k = turn % 2 === 0 ? claims.claimFront(0) : claims.claimBack(Math.max(claims.busiest(), 0));
      if (k >= 0) seen.push(k);
      else if (claims.busiest() < 0) break;
      else seen.push(claims.claimBack(claims.busiest()));
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(claims.busiest()).toBe(-1);
    expect(claims.claimFront(1)).toBe(-1);
  });

  it('numbers units on across segments and gives none once closed', () => {
    const claims = RangeClaims.create([2, 2]);
    expect(claims.claimFront(1)).toBe(2);
    expect(claims.claimBack(0)).toBe(1);
    claims.close();
    expect(claims.claimFront(0)).toBe(-1);
    expect(claims.busiest()).toBe(-1);
  });
});

describe('row codec', () => {
  it('brings rows back as they were: times past 2^53, missing roots, any text', () => {
    const rows: TraceSummary[] = [
      {
        traceId: 'a\u0000b',
        startNs: 1764061200123456789n,
        endNs: 1764061200987654321n,
        durationMs: 864.197532,
        spanCount: 4,
        services: ['api-gateway', 'ödeme', 'api-gateway'],
        errorCount: 1,
        rootService: 'api-gateway',
        rootName: 'POST /api/orders 🚀',
        recordCount: 9,
      },
      { traceId: 'b', startNs: 0n, endNs: 0n, durationMs: 0, spanCount: 1, services: [], errorCount: 0, rootService: null, rootName: null, recordCount: 1 },
      { traceId: 'c', startNs: -5n, endNs: 2n ** 70n, durationMs: 1, spanCount: 1, services: ['x'], errorCount: 0, rootService: 'x', rootName: '', recordCount: 2 },
    ];
    expect(unpackRows(packRows(rows))).toEqual(rows);
  });
});
