// Worker thread for `traces` on big files. It reads its segment of the input and whatever it can
// take from slower threads (summarise-units.ts), sends the other threads' shares of what it read,
// receives its own share's parts from them, and sends back the summaries of its share
// (trace-shares.ts).
import { parentPort } from 'node:worker_threads';
import type { PackedState } from '../assemble/trace-summary-codec.js';
import { packRows, type PackedRows } from '../assemble/trace-row-codec.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { newStats, type ScanStats } from '../types.js';
import { RangeClaims } from './range-claims.js';
import type { ReadPlan } from './read-plan.js';
import { addStats, summariseClaimed } from './summarise-units.js';
import { splitStretches, summariseShare, transferList, type SharePart } from './trace-shares.js';

/** Main thread → worker. */
export type WorkerRequest =
  /** Read: segment `thread` first; trace share `thread` is this worker's to summarise. */
  | { type: 'read'; plan: ReadPlan; claims: SharedArrayBuffer; thread: number; threads: number; normalise: NormaliseOptions }
  /** Every other thread's parts of this worker's share. */
  | { type: 'share'; parts: SharePart<PackedState>[] };

/** Worker → main thread. */
export type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'error'; message: string }
  /** Reading is done: the other shares' parts of what this worker read. */
  | { type: 'parts'; parts: SharePart<PackedState>[]; stats: ScanStats }
  | { type: 'rows'; rows: PackedRows };

/** Progress is posted about this often: a message per unit would be noise. */
const PROGRESS_EVERY = 16 << 20;

let kept: SharePart[] = [];

parentPort?.on('message', (request: WorkerRequest) => {
  const work = request.type === 'read' ? read(request) : finish(request.parts);
  work.catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
});

async function read(job: Extract<WorkerRequest, { type: 'read' }>): Promise<void> {
  let unreported = 0;
  const stretches = await summariseClaimed(job.plan, new RangeClaims(job.claims), job.thread, job.normalise, {
    onBytes: (bytes) => {
      unreported += bytes;
      if (unreported < PROGRESS_EVERY) return;
      post({ type: 'progress', bytes: unreported });
      unreported = 0;
    },
  });
  if (unreported > 0) post({ type: 'progress', bytes: unreported });
  const stats = newStats();
  for (const s of stretches) addStats(stats, s.stats);
  const split = splitStretches(stretches, job.threads, job.thread);
  kept = split.kept;
  post({ type: 'parts', parts: split.sent, stats }, transferList(split.sent));
}

async function finish(parts: SharePart<PackedState>[]): Promise<void> {
  const rows = packRows(summariseShare([...kept, ...parts]));
  kept = [];
  post({ type: 'rows', rows }, [rows.numbers.buffer as ArrayBuffer]);
}

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}
