import type { InferredBy, LineFact, Span } from '../types.js';
import { answerAfter, callLinesTo, type CallLine } from './call-lines.js';
import { comparePosition } from './span-facts.js';
import { clockKey, estimateOffsets, evidence, type OffsetEvidence } from './clock-offsets.js';
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
    for (let i = 0; i < group.length; i++) {
      const span = group[i]!;
      if (!openSet.has(span)) continue;
      const container = span.kind === 'server' || span.kind === 'consumer' ? null : innermostContainer(span, group, i);
      if (container) link(span, container, 'containment');
      else entries.push(span);
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
  for (const entry of [...entries].sort((a, b) => cmpBig(corrected(a.startNs, a, offsets), corrected(b.startNs, b, offsets)))) {
    if (paired.has(entry)) continue;
    const call = latestFreeCallBefore(entry, callsByService.get(entry.service) ?? [], used, offsets);
    if (call) {
      paired.set(entry, call);
      used.add(call.line);
    }
  }
  offsets = estimateOffsets(evidenceOf(paired, byId), reference);
  for (const span of spans) span.clockOffsetMs = Number(offsets.get(clockKey(span)) ?? 0n) / 1e6;

  // 4. Entries take a parent in another service.
  const ordered = [...entries].sort((a, b) => cmpBig(corrected(a.startNs, a, offsets), corrected(b.startNs, b, offsets)));
  for (const entry of ordered) {
    const call = paired.get(entry);
    if (call && !isAncestor(entry, call.span, byId)) {
      link(entry, call.span, 'call');
      continue;
    }
    const found = crossServiceParent(entry, spans, offsets, byId);
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

/** The innermost earlier span of the group whose interval holds `span`'s start (line order breaks ties). */
function innermostContainer(span: Span, group: readonly Span[], index: number): Span | null {
  let best: Span | null = null;
  for (let j = index - 1; j >= 0; j--) {
    const p = group[j]!;
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

function latestFreeCallBefore(entry: Span, calls: readonly CallLine[], used: ReadonlySet<LineFact>, offsets: ReadonlyMap<string, bigint>): CallLine | null {
  const start = corrected(entry.startNs, entry, offsets);
  // The latest call made before the entry; only when none was, the nearest one just after it
  // (a few ms of clock noise). A later call within the slack must not beat an earlier one that
  // fits: two callers of one service a few ms apart would swap their callees.
  let before: { call: CallLine; at: bigint } | null = null;
  let after: { call: CallLine; at: bigint } | null = null;
  for (const c of calls) {
    if (used.has(c.line)) continue;
    const at = corrected(c.line.timeNs, c.span, offsets);
    if (at > start + CALL_SLACK_NS || at < start - CALL_LOOKBACK_NS) continue;
    if (at <= start) {
      if (!before || at > before.at) before = { call: c, at };
    } else if (!after || at < after.at) after = { call: c, at };
  }
  return (before ?? after)?.call ?? null;
}

function crossServiceParent(entry: Span, spans: readonly Span[], offsets: ReadonlyMap<string, bigint>, byId: ReadonlyMap<string, Span>): { span: Span; by: InferredBy } | null {
  const start = corrected(entry.startNs, entry, offsets);
  let container: Span | null = null;
  let before: { span: Span; at: bigint } | null = null;
  for (const p of spans) {
    if (p.service === entry.service || p.placeholder || isAncestor(entry, p, byId)) continue;
    const pStart = corrected(p.startNs, p, offsets);
    const pEnd = corrected(p.endNs, p, offsets);
    // A parent starts no later than its child: at the same instant only when it is longer.
    if (pStart > start || (pStart === start && p.durationMs <= entry.durationMs)) continue;
    if (start <= pEnd + CALL_SLACK_NS && (!container || p.durationMs < container.durationMs)) container = p;
    if (!before || pStart > before.at) before = { span: p, at: pStart };
  }
  if (container) return { span: container, by: 'containment' };
  return before ? { span: before.span, by: 'order' } : null;
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
