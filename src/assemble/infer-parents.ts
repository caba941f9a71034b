import type { LogRecord, Span } from '../types.js';

/** How long before a callee's first line the caller's "calling X" line may be. */
const CALL_LOOKBACK_NS = 2_000_000_000n;
/** Lines from different hosts are rarely in perfect order: allow a little slack. */
const CALL_SLACK_NS = 5_000_000n;

/**
 * Gives every parentless span except the outermost a parent inferred from timing and services,
 * and marks the edge as inferred. Used when logs carry span ids but no parent ids (the OTel log
 * bridges' default) and for the service visits of trace-id-only logs.
 *
 * Candidates, best first:
 *  1. a span that logged a call to the child's service just before the child started;
 *  2. the smallest span of another service whose interval contains the child's start;
 *  3. the smallest span of the same service that contains it.
 * Only spans that come earlier in (start, longest first) order qualify, so no cycle can form.
 */
export function inferParents(spans: Span[]): number {
  const ordered = [...spans].sort(outerFirst);
  let inferred = 0;
  for (let i = 1; i < ordered.length; i++) {
    const child = ordered[i]!;
    if (child.parentSpanId !== null) continue;
    const parent = bestParent(child, ordered, i);
    if (parent) {
      child.parentSpanId = parent.spanId;
      child.inferredParent = true;
      inferred++;
    }
  }
  return inferred;
}

function bestParent(child: Span, ordered: readonly Span[], index: number): Span | null {
  let caller: { span: Span; at: bigint } | null = null;
  let otherService: Span | null = null;
  let sameService: Span | null = null;
  for (let j = index - 1; j >= 0; j--) {
    const p = ordered[j]!;
    const contains = p.startNs <= child.startNs && child.startNs <= p.endNs;
    if (p.service !== child.service) {
      const at = lastCallTo(p.records, child.service, child.startNs);
      if (at !== null && (!caller || at > caller.at)) caller = { span: p, at };
      if (contains && (!otherService || p.durationMs < otherService.durationMs)) otherService = p;
    } else if (contains && (!sameService || p.durationMs < sameService.durationMs)) {
      sameService = p;
    }
  }
  return caller?.span ?? otherService ?? sameService;
}

/** The time of the last line that names `service` within the look-back before `beforeNs`. */
function lastCallTo(records: readonly LogRecord[], service: string, beforeNs: bigint): bigint | null {
  let found: bigint | null = null;
  for (const r of records) {
    if (r.timeNs === null) continue;
    if (r.timeNs > beforeNs + CALL_SLACK_NS || r.timeNs < beforeNs - CALL_LOOKBACK_NS) continue;
    if (mentions(r, service) && (found === null || r.timeNs > found)) found = r.timeNs;
  }
  return found;
}

function mentions(record: LogRecord, service: string): boolean {
  if (record.message.includes(service)) return true;
  for (const value of Object.values(record.attributes)) {
    if (typeof value === 'string' && value.includes(service)) return true;
  }
  return false;
}

/** Earlier start first; at equal starts the longer span first (it is the likelier parent). */
function outerFirst(a: Span, b: Span): number {
  if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
  return b.durationMs - a.durationMs;
}
