// What the threads of the parallel `traces` read (parallel-rows.ts, rows-worker.ts) say to each other.
import type { NormaliseOptions } from '../normalise/normalise.js';
import type { ScanStats } from '../types.js';
import type { SkewChoice } from './analyse-trace.js';
import type { TraceRow } from './trace-rows.js';

export interface RowsJob {
  paths: readonly string[];
  /** The files as the main thread opened them, by path: every thread reads the same open file. */
  openFiles: Record<string, number>;
  /** Label lines with the service their file name says (as the CLI's file sources do). */
  labelFileNames: boolean;
  normalise: NormaliseOptions;
  skew: SkewChoice;
  /** This thread's shares of the traces (of `of`), read one after another. */
  shares: number[];
  of: number;
}

/** Where a trace's first record sits: its file (index into paths), line, and place on that line. */
export type FirstSeen = [file: number, line: number, nth: number];

export type RowsMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'not-splittable'; where: string }
  | { kind: 'error'; message: string; source: boolean }
  /** One share's rows. */
  | { kind: 'rows'; rows: { at: FirstSeen; row: TraceRow }[] }
  | {
      kind: 'done';
      /** Counted by reading, in the first pass (every pass reads every line): lines, bytes, long lines. */
      read: ScanStats;
      /** Counted by parsing this thread's own lines, and (first pass) the lines every pass parses. */
      own: ScanStats;
      shared: ScanStats;
    };
