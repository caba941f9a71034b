// One thread's part of the parallel `traces` read (parallel-rows.ts): reads every line of the
// files, parses only its shares (normalise/line-share.ts), folds their traces and makes their rows.
// Run by each worker (rows-worker.ts) and by the main thread for its own part.
import { TraceFold } from '../assemble/trace-facts.js';
import { endNormalise, normaliseBatch, type RecordSink } from '../collect/read-records.js';
import { newLineGroups } from '../normalise/line-groups.js';
import { EVERY_SHARE, lineShare, NOT_SPLITTABLE, traceShare } from '../normalise/line-share.js';
import { fileNameLabels } from '../normalise/service-from-path.js';
import { FileSource } from '../sources/files.js';
import { newStats, type LogRecord, type RawLine, type ScanStats } from '../types.js';
import type { FirstSeen, RowsJob, RowsMessage } from './rows-protocol.js';
import { factsRow, releasing, type TraceRow } from './trace-rows.js';

const PROGRESS_EVERY_MS = 100;

/**
 * One thread's shares of the traces as rows, told to `post` share by share (`rows`), then
 * `done` with the counts; or `not-splittable` as soon as a line shows the files cannot be split.
 * `stopped` is asked between batches: another thread found that out first.
 */
export async function shareRows(job: RowsJob, post: (msg: RowsMessage) => void, stopped: () => boolean = () => false): Promise<void> {
  let lastProgress = 0;
  let passesDone = 0;
  /** Progress over all of this thread's passes. */
  const onProgress = (done: number, total: number): void => {
    const now = Date.now();
    if (now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    post({ kind: 'progress', done: passesDone * total + done, total: total * job.shares.length });
  };
  const source = await FileSource.open(job.paths, { openFiles: job.openFiles, ...(job.labelFileNames ? { labelsFor: fileNameLabels } : {}) });
  const read = newStats();
  const own = newStats();
  const shared = newStats();
  // One pass over the files per share: only one share's facts are held at a time, and its rows
  // are sent as soon as they are made.
  for (const [i, share] of job.shares.entries()) {
    const rows = await readShare(job, source, share, { read: i === 0 ? read : newStats(), own, shared: i === 0 ? shared : newStats() }, onProgress, post, stopped);
    if (rows === null) return;
    post({ kind: 'rows', rows });
    passesDone++;
  }
  post({ kind: 'done', read, own, shared });
}

/** One share's traces as rows, or null (and the main thread told) when the files cannot be split. */
async function readShare(
  job: RowsJob,
  source: FileSource,
  share: number,
  { read, own, shared }: { read: ScanStats; own: ScanStats; shared: ScanStats },
  onProgress: (done: number, total: number) => void,
  post: (msg: RowsMessage) => void,
  stopped: () => boolean,
): Promise<{ at: FirstSeen; row: TraceRow }[] | null> {
  const fileIndex = new Map(job.paths.map((p, i) => [p, i]));
  const fold = new TraceFold();
  const firstSeen = new Map<string, FirstSeen>();
  // Records are numbered on their line, so traces first seen on one line (an OTLP batch) keep their order.
  let line = -1;
  let file = -1;
  let nth = 0;
  const sink: RecordSink = {
    keep: (r: LogRecord) => {
      const f = fileIndex.get(r.origin) ?? -1;
      if (r.lineNo === line && f === file) nth++;
      else [line, file, nth] = [r.lineNo, f, 0];
      return r.traceId !== null && traceShare(r.traceId, job.of) === share;
    },
    onRecord: (r: LogRecord) => {
      const before = fold.size;
      fold.add(r);
      if (fold.size !== before) firstSeen.set(r.traceId!, [file, line, nth]);
    },
  };
  const groups = newLineGroups();
  const run: RawLine[] = [];
  let runShared = false;
  const flush = (): void => {
    if (run.length === 0) return;
    normaliseBatch(run, job.normalise, runShared ? shared : own, sink, groups);
    run.length = 0;
  };
  for await (const batch of source.read({ stats: read, onProgress })) {
    if (stopped()) return null;
    for (const raw of batch) {
      const kind = lineShare(raw.text, job.of);
      if (kind === NOT_SPLITTABLE) {
        post({ kind: 'not-splittable', where: `${raw.origin}:${raw.lineNo}` });
        return null;
      }
      if (kind !== EVERY_SHARE && kind !== share) continue;
      const isShared = kind === EVERY_SHARE;
      if (isShared !== runShared) flush();
      runShared = isShared;
      run.push(raw);
    }
    flush();
  }
  endNormalise(groups, job.normalise, own, sink);
  return Array.from(releasing(fold.take()), (facts) => ({ at: firstSeen.get(facts.traceId)!, row: factsRow(facts, job.skew) }));
}
