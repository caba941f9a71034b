import type { RawLine, ScanStats } from '../types.js';

/**
 * What a caller asks of a source. `needles` is the raw-byte prefilter: when given, a line that
 * contains none of them is counted but never handed on (and so never JSON-parsed).
 */
export interface ReadOptions {
  needles?: readonly string[];
  /** Counters the source adds to as it reads (linesRead, bytesRead). */
  stats: ScanStats;
  /** Called now and then with bytes done and bytes expected (0 when unknown), for progress. */
  onProgress?: (done: number, total: number) => void;
  /** Stops the read early (Ctrl-C, or the caller has what it needs). */
  signal?: AbortSignal;
}

/**
 * Every place logs come from (files, stdin, Loki) looks the same to the rest of the pipeline:
 * an async stream of batches of raw lines. Batches, not single lines, keep the per-line cost low.
 */
export interface LogSource {
  /** Short description for messages: `3 files`, `stdin`, `Loki at http://…`. */
  readonly description: string;
  read(options: ReadOptions): AsyncIterable<RawLine[]>;
  /**
   * Plain regular files that several threads can each open and read from the start (FileSource),
   * with their total size; null or absent when the source can be read only once, as a stream.
   */
  splittable?(): Promise<{ paths: readonly string[]; bytes: number } | null>;
}
