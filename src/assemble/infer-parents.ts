import type { InferredBy, LineFact, Span } from '../types.js';
import { answerAfter, callLinesTo, type CallLine } from './call-lines.js';
import { comparePosition } from './span-facts.js';
import { clockKey, estimateOffsets, evidence, type OffsetEvidence } from './clock-offsets.js';
import { CrossServiceParents } from './cross-service-parent.js';
import { cmpBig } from './spans.js';

/** How long before a callee's first line the caller's call line may be (on corrected clocks). */
const CALL_LOOKBACK_NS = 2_000_000_000n;
/** Lines from different hosts are rarely in perfect order: allow a little slack. */
const CALL_SLACK_NS = 5_000_000n;

/**
 * Gives parentless spans a parent inferred from processes, call lines and time, and marks every
 * such edge. Used when logs carry span ids but no parent ids (the OTel log bridges' default) and
 * for the service visits of trace-id-only logs. In this order:
 *
 *  1. Within one process (same service, host and pid), spans nest by interval containment,
 *     innermost first: a process's lines are written in order by one clock.
 *  2. Spans no span of their own process contains are entry spans. Each call line names its
 *     callee's service; calls and entries are paired, one call per entry.
 *  3. From those pairs each clock's offset is estimated (clock-offsets.ts), before any time is
 *     compared across hosts.
 *  4. An entry takes its parent in another service, never its own: the span that logged its call,
 *     else the innermost span of another service that contains its (corrected) start, else the
 *     latest one that started before it.
 *
 * A span whose service logs parent ids elsewhere in the trace and has none is a real root.
 * Returns the number of inferred edges; each span's clockOffsetMs carries the estimated offset.
 */
export function inferParents(spans: Span[]): number {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parentLogging = new Set(spans.filter((s) => s.evidence.logsParent).map((s) => s.service));
  const open = spans.filter((s) => s.parentSpanId === null && !s.placeholder && !parentLogging.has(s.service));
  if (open.length === 0) return 0;
  const openSet = new Set(open);
  let inferred = 0;
  const link = (child: Span, parent: Span, by: InferredBy) => {
    child.parentSpanId = parent.spanId;
    child.inferredParent = true;
    child.inferredBy = by;
    inferred++;
  };

  // 1. Nesting within each process.
  const entries: Span[] = [];
  for (const group of byProcess(spans).values()) {
    group.sort(outerFirst);
    const running: Span[] = []; // the group's earlier spans that may still hold a later one, in start order
    for (const span of group) {
      if (openSet.has(span)) {
        const container = span.kind === 'server' || span.kind === 'consumer' ? null : innermostContainer(span, running);
        if (container) link(span, container, 'containment');
        else entries.push(span);
      }
      running.push(span);
    }
  }
  if (entries.length === 0) return inferred;

  // 2. Calls paired with entries, per callee service: in order when one caller clock made all
  // the calls and the counts agree (skew cannot reorder one clock's lines), else by time below.
  const paired = new Map<Span, CallLine>();
  const callsByService = new Map<string, CallLine[]>();
  for (const service of new Set(entries.map((e) => e.service))) {
    const calls = callLinesTo(service, spans);
    callsByService.set(service, calls);
    const callees = entries.filter((e) => e.service === service).sort(outerFirst);
    const callerClocks = new Set(calls.map((c) => clockKey(c.span)));
    if (calls.length === callees.length && callerClocks.size === 1) callees.forEach((e, i) => paired.set(e, calls[i]!));
  }

  // 3. Clock offsets from the confident pairs; then the other entries are paired by corrected
  // time, and the offsets re-estimated with every pair.
  const reference = referenceClock(spans, entries, paired);
  let offsets = estimateOffsets(evidenceOf(paired, byId), reference);
  const used = new Set([...paired.values()].map((c) => c.line));
  const timedCalls = new Map<string, TimedCall[]>();
  for (const entry of [...entries].sort((a, b) => cmpBig(corrected(a.startNs, a, offsets), corrected(b.startNs, b, offsets)))) {
    if (paired.has(entry)) continue;
    let calls = timedCalls.get(entry.service);
    if (!calls) timedCalls.set(entry.service, (calls = byCorrectedTime(callsByService.get(entry.service) ?? [], offsets)));
    const call = latestFreeCallBefore(corrected(entry.startNs, entry, offsets), calls, used);
    if (call) {
      paired.set(entry, call);
      used.add(call.line);
    }
  }
  offsets = estimateOffsets(evidenceOf(paired, byId), reference);
  for (const span of spans) span.clockOffsetMs = Number(offsets.get(clockKey(span)) ?? 0n) / 1e6;

  // 4. Entries take a parent in another service.
  const ordered = [...entries].sort((a, b) => cmpBig(corrected(a.startNs, a, offsets), corrected(b.startNs, b, offsets)));
  const crossService = new CrossServiceParents(
    spans,
    (s) => corrected(s.startNs, s, offsets),
    (s) => corrected(s.endNs, s, offsets),
    (ancestor, s) => isAncestor(ancestor, s, byId),
  );
  for (const entry of ordered) {
    const call = paired.get(entry);
    if (call && !isAncestor(entry, call.span, byId)) {
      link(entry, call.span, 'call');
      continue;
    }
    const found = crossService.query(entry, corrected(entry.startNs, entry, offsets));
    if (found) link(entry, found.span, found.by);
  }
  return inferred;
}

/** The process a span ran in: service, host and pid where the lines say. */
function processKey(span: Span): string {
  return `${clockKey(span)}\u0000${span.evidence.pid}`;
}

function byProcess(spans: readonly Span[]): Map<string, Span[]> {
  const groups = new Map<string, Span[]>();
  for (const s of spans) {
    if (s.placeholder) continue;
    const key = processKey(s);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  }
  return groups;
}

/**
 * The innermost earlier span of the process whose interval holds `span`'s start (line order
 * breaks ties): the latest-started one still running. `running` holds the process's earlier spans in
 * start order; spans that ended before this start have ended before every later one too (spans
 * come in start order), so they are dropped from its top for good, which keeps a long batch
 * trace linear rather than quadratic.
 */
function innermostContainer(span: Span, running: Span[]): Span | null {
  while (running.length > 0 && running[running.length - 1]!.endNs < span.startNs) running.pop();
  let best: Span | null = null;
  for (let j = running.length - 1; j >= 0; j--) {
    const p = running[j]!;
    // Below the best, only a span starting at the same instant can still be preferred to it.
    if (best && p.startNs < best.startNs) break;
    if (startsAfter(span, p) && !endsBefore(p, span) && (!best || startsAfter(p, best))) best = p;
  }
  return best;
}

/** `a` starts at or after `b` (at the same time, by line order: a's first line after b's). */
function startsAfter(a: Span, b: Span): boolean {
  if (a.startNs !== b.startNs) return a.startNs > b.startNs;
  const ra = a.evidence.first;
  const rb = b.evidence.first;
  // A start taken from a duration (before any line) is earlier than any line at that time.
  if (!ra || !rb || ra.timeNs !== a.startNs) return false;
  if (rb.timeNs !== b.startNs) return true;
  return comparePosition(ra, rb) >= 0;
}

/** `p` ended before `span` started: its last line comes before span's first. */
function endsBefore(p: Span, span: Span): boolean {
  if (p.endNs !== span.startNs) return p.endNs < span.startNs;
  const last = p.evidence.last;
  const first = span.evidence.first;
  if (!last || !first || first.timeNs !== span.startNs) return false;
  return comparePosition(last, first) < 0;
}

/** Evidence for each pair: the call, the callee's first and last lines, and the caller's answer. */
function evidenceOf(paired: ReadonlyMap<Span, CallLine>, byId: ReadonlyMap<string, Span>): OffsetEvidence[] {
  const out: OffsetEvidence[] = [];
  const lastTimes = processSubtreeEnds(byId);
  for (const [entry, call] of paired) {
    const first = entry.evidence.first?.timeNs;
    if (first == null) continue;
    out.push(evidence(call.line, call.span, answerAfter(call), first, lastTimes.get(entry) ?? entry.endNs, entry));
  }
  return out;
}

/** Each span's last line, counting the spans nested in it within its own process. */
function processSubtreeEnds(byId: ReadonlyMap<string, Span>): Map<Span, bigint> {
  const ends = new Map<Span, bigint>();
  for (const span of byId.values()) {
    const last = span.evidence.last?.timeNs ?? span.endNs;
    let p: Span | undefined = span;
    let guard = 0;
    while (p && guard++ < 10_000) {
      if (p.service !== span.service) break;
      if ((ends.get(p) ?? -1n) < last) ends.set(p, last);
      if (p.inferredBy !== 'containment' || p.parentSpanId === null) break;
      p = byId.get(p.parentSpanId);
    }
  }
  return ends;
}

/** The root's clock: the earliest entry that no call names, else the earliest span. */
function referenceClock(spans: readonly Span[], entries: readonly Span[], paired: ReadonlyMap<Span, CallLine>): string {
  const unpaired = entries.filter((e) => !paired.has(e)).sort(outerFirst);
  const root = unpaired[0] ?? [...spans].sort(outerFirst)[0]!;
  return clockKey(root);
}

/** A call line with its time on the reference clock. */
interface TimedCall {
  call: CallLine;
  at: bigint;
}

/** Calls in order of corrected time, equal times in list order. */
function byCorrectedTime(calls: readonly CallLine[], offsets: ReadonlyMap<string, bigint>): TimedCall[] {
  return calls
    .map((call, i) => ({ call, at: corrected(call.line.timeNs, call.span, offsets), i }))
    .sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.i - b.i));
}

/**
 * The latest free call made before the entry's start; only when none was, the nearest one just
 * after it (a few ms of clock noise). A later call within the slack must not beat an earlier one
 * that fits: two callers of one service a few ms apart would swap their callees. Among calls at
 * one instant the first listed wins. `calls` is sorted by time, so this is a binary search and a
 * short walk past the calls already taken.
 */
function latestFreeCallBefore(start: bigint, calls: readonly TimedCall[], used: ReadonlySet<LineFact>): CallLine | null {
  let lo = 0;
  let hi = calls.length; // first call after start
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (calls[mid]!.at <= start) lo = mid + 1;
    else hi = mid;
  }
  let before: TimedCall | null = null;
  for (let i = lo - 1; i >= 0 && calls[i]!.at >= start - CALL_LOOKBACK_NS; i--) {
    const c = calls[i]!;
    if (before && c.at < before.at) break;
    if (!used.has(c.call.line)) before = c; // walking back through equal times, the first listed wins
  }
  if (before) return before.call;
  for (let i = lo; i < calls.length && calls[i]!.at <= start + CALL_SLACK_NS; i++) {
    if (!used.has(calls[i]!.call.line)) return calls[i]!.call;
  }
  return null;
}

/** Whether `maybeDescendant` sits in `ancestor`'s subtree (so linking would make a loop). */
function isAncestor(ancestor: Span, maybeDescendant: Span, byId: ReadonlyMap<string, Span>): boolean {
  let p: Span | undefined = maybeDescendant;
  for (let guard = 0; p && guard < 100_000; guard++) {
    if (p === ancestor) return true;
    p = p.parentSpanId === null ? undefined : byId.get(p.parentSpanId);
  }
  return false;
}

function corrected(ns: bigint, span: Span, offsets: ReadonlyMap<string, bigint>): bigint {
  return ns - (offsets.get(clockKey(span)) ?? 0n);
}

/** Earlier start first; at equal starts the longer span first (it is the likelier parent). */
function outerFirst(a: Span, b: Span): number {
  if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
  if (b.durationMs !== a.durationMs) return b.durationMs - a.durationMs;
  const ra = a.evidence.first;
  const rb = b.evidence.first;
  return ra && rb ? comparePosition(ra, rb) : 0;
}
