import { traceIdGroupKey } from '../trace-id.js';
import type { SummariesState, TraceAcc } from './trace-summary.js';

/**
 * Which of `buckets` shares a trace id falls in: the same on every thread, and even for random
 * ids (FNV-1a over the whole key, so ids that differ only at the start spread too). The 64-bit
 * and 128-bit forms of one id share a bucket, so summaries() can fold them (trace-id.ts).
 */
export function bucketOf(traceId: string, buckets: number): number {
  const key = traceIdGroupKey(traceId);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/**
 * Splits a state into `buckets` states by trace id, each keeping the traces' order and the base
 * time: merging bucket b of every reader in input order gives bucket b of the whole input, so
 * threads can finish their buckets in parallel.
 */
export function partitionState(state: SummariesState, buckets: number): SummariesState[] {
  const maps = Array.from({ length: buckets }, () => new Map<string, TraceAcc>());
  for (const [traceId, trace] of state.traces) maps[bucketOf(traceId, buckets)]!.set(traceId, trace);
  return maps.map((traces) => ({ baseNs: state.baseNs, traces }));
}
