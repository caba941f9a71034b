// A worker thread of the parallel `traces` read (parallel-rows.ts): its shares' rows, posted back.
import { parentPort, workerData } from 'node:worker_threads';
import { SourceError, UserError } from '../errors.js';
import type { RowsJob, RowsMessage } from './rows-protocol.js';
import { shareRows } from './share-rows.js';

const post = (msg: RowsMessage): void => parentPort!.postMessage(msg);

shareRows(workerData as RowsJob, post).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  post({ kind: 'error', message, source: err instanceof SourceError || (err instanceof UserError && err.exitCode === 4) });
});
