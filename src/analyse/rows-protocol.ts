// What the threads of the parallel `traces` read (parallel-rows.ts, rows-worker.ts) say to each other.
import type { NormaliseOptions } from '../normalise/normalise.js';
import type { ScanStats } from '../types.js';
import type { SkewChoice } from './analyse-trace.js';
import type { TraceRow } from './trace-rows.js';

export interface RowsJob {
  paths: readonly string[];
  /** Label lines with the service their file name says (as the CLI's file sources do). */
  labelFileNames: boolean;
  normalise: NormaliseOptions;
  skew: SkewChoice;
  /** This thread's share of the traces, of `of`. */
  share: number;
  of: number;
}

/** Where a trace's first record sits: its file (index into paths), line, and place on that line. */
export type FirstSeen = [file: number, line: number, nth: number];

export type RowsMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'not-splittable'; where: string }
  | { kind: 'error'; message: string; source: boolean }
  | {
      kind: 'done';
      rows: { at: FirstSeen; row: TraceRow }[];
      /** Counted by reading (every thread reads every line): lines, bytes, long lines. */
      read: ScanStats;
      /** Counted by parsing this thread's own lines, and the lines every thread parses. */
      own: ScanStats;
      shared: ScanStats;
    };
