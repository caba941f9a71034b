// `traces` splits a big file between threads by reading each line's trace id from its raw text
// (normalise/line-share.ts) and folds each share on its own thread (analyse/parallel-rows.ts).
// Checked here on the real-library corpus: the raw reading agrees with the parser on every line
// it decides, and the rows from several threads are those of one thread, row for row.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SKEW } from '../../src/analyse/analyse-trace.js';
import { traceRowsOfSource } from '../../src/analyse/parallel-rows.js';
import { EVERY_SHARE, lineShare, NOT_SPLITTABLE, traceShare } from '../../src/normalise/line-share.js';
import { normaliseLine } from '../../src/normalise/normalise.js';
import { fileNameLabels } from '../../src/normalise/service-from-path.js';
import { FileSource } from '../../src/sources/files.js';
import { REPO_ROOT } from '../support/run-cli.js';

/** The built worker: node:worker_threads cannot load the TypeScript sources vitest runs. */
const WORKER = pathToFileURL(join(REPO_ROOT, 'dist', 'bundle', 'rows-worker.js'));

/** Every folder of the corpus and the examples that holds plain (not gzipped) log files. */
function logFolders(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    const names = readdirSync(dir);
    if (names.some((n) => /\.(log|json)$/.test(n) && n !== 'variant.json' && n !== 'truth.json')) found.push(dir);
    for (const n of names) if (n !== 'generators' && statSync(join(dir, n)).isDirectory()) walk(join(dir, n));
  };
  walk(join(REPO_ROOT, 'corpus'));
  found.push(join(REPO_ROOT, 'examples'));
  return found;
}

function logFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /\.(log|json)$/.test(n) && n !== 'variant.json' && n !== 'truth.json')
    .map((n) => join(dir, n));
}

const FOLDERS = logFolders();
const short = (dir: string): string => relative(REPO_ROOT, dir);

describe('the raw-text share of a line agrees with the parser', () => {
  it('on every line of the corpus and the examples that it gives to one thread', () => {
    let decided = 0;
    let lines = 0;
    for (const file of FOLDERS.flatMap(logFiles)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          lines++;
          for (const of of [2, 3]) {
            const share = lineShare(text, of);
            if (share === EVERY_SHARE || share === NOT_SPLITTABLE) continue;
            if (of === 2) decided++;
            for (const r of normaliseLine({ text, origin: file, lineNo: i + 1 }) ?? []) {
              if (r.traceId === null) continue;
              expect({ line: `${file}:${i + 1}`, share: traceShare(r.traceId, of) }).toEqual({ line: `${file}:${i + 1}`, share });
            }
          }
        });
    }
    // Most lines name their trace plainly: the split saves real work.
    expect(decided / lines).toBeGreaterThan(0.6);
  });

  it('sends a line with a stack trace after it, or a container wrapper, to one thread only', () => {
    expect(lineShare('    at Object.<anonymous> (/app/index.js:1:1)', 2)).toBe(NOT_SPLITTABLE);
    const docker = readFileSync(logFiles(join(REPO_ROOT, 'corpus', 'zoo', 'docker-json-pino'))[0]!, 'utf8').split('\n')[0]!;
    expect(lineShare(docker, 2)).toBe(NOT_SPLITTABLE);
  });
});

describe('traces on several threads gives the rows of one thread', () => {
  for (const dir of FOLDERS) {
    it(short(dir), async () => {
      const source = await FileSource.open(logFiles(dir), { labelsFor: fileNameLabels });
      const one = await traceRowsOfSource(source, { attributes: false }, DEFAULT_SKEW, { tuning: { threads: 1 } });
      expect(one.threads).toBe(1);
      // Three threads on a few folders: shares other than halves.
      for (const threads of dir.includes('otel-node') ? [2, 3] : [2]) {
        const many = await traceRowsOfSource(source, { attributes: false }, DEFAULT_SKEW, {
          labelFileNames: true,
          tuning: { threads, minBytes: 0, workerUrl: WORKER },
        });
        expect(many.rows).toEqual(one.rows);
        expect({ linesRead: many.stats.linesRead, malformed: many.stats.malformedLines }).toEqual({
          linesRead: one.stats.linesRead,
          malformed: one.stats.malformedLines,
        });
        // Container logs and stack-trace lines join up with their neighbours: one thread reads them.
        const joined = logFiles(dir).some((f) => readFileSync(f, 'utf8').split('\n').some((l) => lineShare(l, 2) === NOT_SPLITTABLE));
        expect(many.threads).toBe(joined ? 1 : threads);
      }
    });
  }

  it('cut into more shares than threads, read one after another, the rows are the same', async () => {
    for (const variant of ['otel-node/a-default', 'otel-node/c-skew', 'go-zap/trace-only']) {
      const source = await FileSource.open(logFiles(join(REPO_ROOT, 'corpus', variant)), { labelsFor: fileNameLabels });
      const one = await traceRowsOfSource(source, { attributes: false }, DEFAULT_SKEW, { tuning: { threads: 1 } });
      const bytes = (await source.splittable())!.bytes;
      const many = await traceRowsOfSource(source, { attributes: false }, DEFAULT_SKEW, {
        labelFileNames: true,
        // Four shares a thread.
        tuning: { threads: 2, minBytes: 0, shareBytes: Math.ceil(bytes / 8), workerUrl: WORKER },
      });
      expect({ threads: many.threads, shares: many.shares }).toEqual({ threads: 2, shares: 8 });
      expect(many.rows).toEqual(one.rows);
    }
  });

  it('ran most of the corpus on threads', () => {
    const split = FOLDERS.filter((dir) => logFiles(dir).every((f) => readFileSync(f, 'utf8').split('\n').every((l) => lineShare(l, 2) !== NOT_SPLITTABLE)));
    expect(split.map(short)).toEqual(expect.arrayContaining(['corpus/otel-node/a-default', 'corpus/otel-node/c-skew', 'corpus/go-zap/trace-only']));
  });
});
