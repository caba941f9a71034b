// Clock offsets between hosts, estimated from call pairs before anything is nested by time.
//
// A call line c (caller's clock) comes before the callee's first line f (callee's clock), and the
// callee's last line l comes before the caller's answer line n. With δ the callee clock's offset
// against the caller's, and latencies never negative:
//     δ ≤ f − c        and        δ ≥ l − n
// Each pair bounds δ from both sides; the pairs between two clocks are intersected. When the
// bounds allow 0 (within a few ms of network slack) there is no evidence of skew; otherwise δ is
// the middle of the bounds, which assumes the latency splits evenly both ways (as Jaeger does).
import type { LineFact, LinePos, Span } from '../types.js';

/** Offsets this small are clock resolution and network noise, not skew. */
export const SKEW_SLACK_NS = 3_000_000n;

/** The clock that stamped a span's lines: its service on its host (each process, when neither says more). */
export function clockKey(span: Span): string {
  return `${span.service}\u0000${span.host ?? ''}`;
}

export interface OffsetEvidence {
  callerClock: string;
  calleeClock: string;
  /** f − c: the callee's first line minus the call line. */
  upperNs: bigint;
  /** l − n: the callee's last line minus the caller's answer, when the caller logged one. */
  lowerNs: bigint | null;
}

export function evidence(call: LinePos, caller: Span, answer: LineFact | null, calleeFirst: bigint, calleeLast: bigint, callee: Span): OffsetEvidence {
  const upperNs = calleeFirst - call.timeNs;
  let lowerNs = answer ? calleeLast - answer.timeNs - answerTolerance(call.timeNs, answer.timeNs) : null;
  // A caller that reports a failure may have stopped waiting (a timeout): its callee can go on
  // working after the answer, so "the callee ended before the answer" no longer holds. When the
  // pair's own bounds contradict each other that way, only the causal one is kept: a call is
  // made before it is received.
  if (lowerNs !== null && answer?.errorReason && lowerNs > upperNs) lowerNs = null;
  return { callerClock: clockKey(caller), calleeClock: clockKey(callee), upperNs, lowerNs };
}

/**
 * How far a callee's last line may trail the caller's answer line without meaning skew: HTTP
 * loggers (pino-http, morgan) write "request completed" when the response has finished, which
 * can be after the caller logged the status it read from the headers. A twentieth of the call.
 */
function answerTolerance(callNs: bigint, answerNs: bigint): bigint {
  const call = answerNs - callNs;
  return call > 0n ? call / 20n : 0n;
}

/**
 * Each clock's offset against `referenceClock` (the root's), propagated along call pairs from
 * the reference outwards. Clocks no pair reaches, and offsets within the slack, are 0.
 */
export function estimateOffsets(pairs: readonly OffsetEvidence[], referenceClock: string): Map<string, bigint> {
  // Bounds per ordered clock pair, intersected.
  const bounds = new Map<string, { from: string; to: string; lo: bigint | null; hi: bigint; mids: bigint[] }>();
  for (const p of pairs) {
    if (p.callerClock === p.calleeClock) continue;
    const key = `${p.callerClock}\u0001${p.calleeClock}`;
    let b = bounds.get(key);
    if (!b) bounds.set(key, (b = { from: p.callerClock, to: p.calleeClock, lo: null, hi: p.upperNs, mids: [] }));
    if (p.upperNs < b.hi) b.hi = p.upperNs;
    if (p.lowerNs !== null && (b.lo === null || p.lowerNs > b.lo)) b.lo = p.lowerNs;
    b.mids.push(p.lowerNs === null ? p.upperNs : (p.upperNs + p.lowerNs) / 2n);
  }

  const edges = new Map<string, { to: string; delta: bigint }[]>();
  const addEdge = (from: string, to: string, delta: bigint) => {
    let list = edges.get(from);
    if (!list) edges.set(from, (list = []));
    list.push({ to, delta });
  };
  for (const b of bounds.values()) {
    const delta = deltaOf(b.lo, b.hi, b.mids);
    addEdge(b.from, b.to, delta);
    addEdge(b.to, b.from, -delta);
  }

  const offsets = new Map<string, bigint>();
  // From the reference outwards; a component no pair links to the reference is seeded at 0, so
  // its clocks still get offsets relative to each other.
  const reach = (seed: string) => {
    offsets.set(seed, 0n);
    const queue = [seed];
    while (queue.length > 0) {
      const from = queue.shift()!;
      for (const e of edges.get(from) ?? []) {
        if (offsets.has(e.to)) continue;
        offsets.set(e.to, offsets.get(from)! + e.delta);
        queue.push(e.to);
      }
    }
  };
  reach(referenceClock);
  for (const from of edges.keys()) if (!offsets.has(from)) reach(from);
  for (const [clock, off] of offsets) if (abs(off) <= SKEW_SLACK_NS) offsets.set(clock, 0n);
  return offsets;
}

/** δ from its intersected bounds: 0 when they allow it, else their middle (or the bound there is). */
function deltaOf(lo: bigint | null, hi: bigint, mids: bigint[]): bigint {
  if (lo === null) {
    // Only "the callee's first line came after the call": a callee ahead shows nothing, a callee
    // behind (its first line before the call) must be at least that much behind.
    return hi < -SKEW_SLACK_NS ? hi : 0n;
  }
  if (lo <= hi) {
    if (lo <= SKEW_SLACK_NS && hi >= -SKEW_SLACK_NS) return 0n;
    return (lo + hi) / 2n;
  }
  // Contradicting pairs (a caller's next line was not its answer, say): the median estimate.
  const sorted = [...mids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const median = sorted[sorted.length >> 1]!;
  // When the pairs contradict each other by more than the shift they suggest, they are
  // evidence of jitter or of a misread answer line, not of skew.
  if (lo - hi >= abs(median)) return 0n;
  return abs(median) <= SKEW_SLACK_NS ? 0n : median;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}
