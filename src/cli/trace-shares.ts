// The end of a parallel `traces` read: every thread holds summaries of its stretches of the input,
// each covering all kinds of traces. Trace ids are split into one share per thread
// (assemble/trace-partition.ts); each thread gets its share's part of every stretch, merges the
// parts in input order and summarises them. So merging and summarising, which grow with the
// number of traces, run on every core too, and only a share of the state crosses threads.

import { partitionState } from '../assemble/trace-partition.js';
import { packState, unpackState, type PackedState } from '../assemble/trace-summary-codec.js';
import { TraceSummaries, type SummariesState, type TraceSummary } from '../assemble/trace-summary.js';
import type { Stretch } from './summarise-units.js';

/** One stretch's traces of one share: live on the thread that read it, packed for another. */
export interface SharePart<S = SummariesState | PackedState> {
  /** The stretch's first unit: parts merge in this order. */
  first: number;
  share: number;
  state: S;
}

/** Splits a thread's stretches by share: its own share stays live, the others are packed to send. */
export function splitStretches(stretches: readonly Stretch[], shares: number, own: number): { kept: SharePart<SummariesState>[]; sent: SharePart<PackedState>[] } {
  const kept: SharePart<SummariesState>[] = [];
  const sent: SharePart<PackedState>[] = [];
  for (const stretch of stretches) {
    for (const [share, state] of partitionState(stretch.summaries.state(), shares).entries()) {
      if (share === own) kept.push({ first: stretch.first, share, state });
      else sent.push({ first: stretch.first, share, state: packState(state) });
    }
  }
  return { kept, sent };
}

/** Merges every stretch's part of one share in input order and summarises the traces. */
export function summariseShare(parts: readonly SharePart[]): TraceSummary[] {
  const merged = new TraceSummaries();
  for (const part of [...parts].sort((a, b) => a.first - b.first)) {
    merged.merge(isPacked(part.state) ? unpackState(part.state) : part.state);
  }
  return merged.summaries();
}

/** Buffers to transfer (not copy) with packed parts. */
export function transferList(parts: readonly SharePart<PackedState>[]): ArrayBuffer[] {
  return parts.map((p) => p.state.numbers.buffer as ArrayBuffer);
}

function isPacked(state: SummariesState | PackedState): state is PackedState {
  return 'numbers' in state;
}
