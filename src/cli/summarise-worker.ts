// Worker thread for `traces` on big files: reads one line-aligned byte range of a file,
// normalises every line and folds it into trace summaries, then hands the summaries' state back.
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { TraceSummaries } from '../assemble/trace-summary.js';
import { packState } from '../assemble/trace-summary-codec.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { LineScanner } from '../sources/line-scanner.js';
import { newStats, type LogRecord, type RawLine } from '../types.js';
import { normaliseBatch } from './read-records.js';

export interface RangeJob {
  path: string;
  /** Byte range [start, end), starting at a line start and ending after a newline (or at EOF). */
  start: number;
  end: number;
  labels?: Record<string, string>;
  normalise: NormaliseOptions;
}

const CHUNK_BYTES = 1 << 20;
const PROGRESS_EVERY = 16 << 20;

parentPort?.on('message', (job: RangeJob) => {
  run(job).catch((err: unknown) => parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err), code: (err as NodeJS.ErrnoException)?.code }));
});

async function run(job: RangeJob): Promise<void> {
  const stats = newStats();
  const summaries = new TraceSummaries();
  const scanner = new LineScanner(job.path, undefined, stats, job.labels);
  let reported = 0;
  const sink = { keep: (r: LogRecord) => Boolean(r.traceId), onRecord: (r: LogRecord) => summaries.add(r) };
  const take = (lines: RawLine[]) => normaliseBatch(lines, job.normalise, stats, sink);
  if (job.end > job.start) {
    for await (const chunk of createReadStream(job.path, { start: job.start, end: job.end - 1, highWaterMark: CHUNK_BYTES })) {
      take(scanner.push(chunk as Buffer));
      if (stats.bytesRead - reported >= PROGRESS_EVERY) {
        parentPort!.postMessage({ type: 'progress', bytes: stats.bytesRead - reported });
        reported = stats.bytesRead;
      }
    }
  }
  take(scanner.end());
  parentPort!.postMessage({ type: 'progress', bytes: stats.bytesRead - reported });
  const state = packState(summaries.state());
  parentPort!.postMessage({ type: 'done', state, stats }, [state.numbers.buffer as ArrayBuffer]);
}
