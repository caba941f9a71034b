import type { LogRecord, Span, Trace } from '../types.js';
import { clockKey } from '../assemble/clock-offsets.js';
import { isAsyncEdge } from './async-edge.js';
import { byStart, treeOrder } from './tree-order.js';

export interface SkewOptions {
  /** The largest shift applied; a bigger estimated skew is reported as a warning and left alone. */
  maxSkewMs: number;
  /** Overhang treated as clock-resolution noise rather than skew (ms-resolution clocks). */
  toleranceMs?: number;
}

export const DEFAULT_SKEW_TOLERANCE_MS = 2;

const NS_PER_MS = 1_000_000;

/**
 * Jaeger's clock-skew adjuster, for logs: a child on another host that starts before its parent
 * or ends after it is moved into the parent, and that correction carries over to the child's whole
 * subtree on the same host. Returns a new trace; the input is left as it was.
 */
export function adjustClockSkew(trace: Trace, options: SkewOptions): Trace {
  const maxNs = msToNs(options.maxSkewMs);
  const tolNs = msToNs(options.toleranceMs ?? DEFAULT_SKEW_TOLERANCE_MS);
  const warnings: string[] = [];
  const copies = new Map<Span, Span>();
  const shiftedRecords = new Map<LogRecord, LogRecord>();
  let anyShift = false;

  interface Frame {
    span: Span;
    parent: Span | null; // the parent's adjusted copy
    host: string;
    delta: bigint;
  }
  const stack: Frame[] = [];
  for (let i = trace.roots.length - 1; i >= 0; i--) {
    const root = trace.roots[i]!;
    stack.push({ span: root, parent: null, host: clockKey(root), delta: 0n });
  }

  while (stack.length > 0) {
    const { span, parent, host: carriedHost, delta: carriedDelta } = stack.pop()!;
    if (copies.has(span)) continue; // a malformed tree must not loop
    let host = carriedHost;
    let delta = carriedDelta;
    const ownHost = clockKey(span);
    if (parent && ownHost !== carriedHost) {
      // A new clock: estimate its skew against the (already adjusted) parent.
      host = ownHost;
      delta = 0n;
      if (!isAsyncEdge(parent, span) && !span.placeholder && !parent.placeholder) {
        // The offset estimated from call pairs (assemble/clock-offsets.ts) is evidence; the
        // Jaeger rule only guesses from where the child sits, for clocks no pair measured.
        // Two services on one host share its clock, so the guess applies only across hosts.
        const measured = msToNs(span.clockOffsetMs - parent.clockOffsetMs);
        const wanted = measured !== 0n ? -measured : physicalHost(span) !== physicalHost(parent) ? skewNs(span, parent, tolNs) : 0n;
        if (abs(wanted) > maxNs) {
          warnings.push(
            `${span.service} looks ${formatSignedMs(wanted)} ms off (clock skew), more than the ` +
              `${formatMs(maxNs)} ms maximum; not adjusted`,
          );
        } else if (wanted !== 0n) {
          delta = wanted;
          warnings.push(`${span.service} shifted ${formatSignedMs(wanted)} ms (clock skew)`);
        }
      }
    }

    const copy = shiftSpan(span, delta, shiftedRecords);
    if (delta !== 0n) anyShift = true;
    if (parent) {
      copy.outlivesParent = !isAsyncEdge(parent, span) && outlives(copy, parent, tolNs);
      parent.children.push(copy);
    }
    copies.set(span, copy);
    for (let i = span.children.length - 1; i >= 0; i--) {
      stack.push({ span: span.children[i]!, parent: copy, host, delta });
    }
  }

  const roots = trace.roots.map((r) => copies.get(r)!).filter(Boolean);
  if (anyShift) {
    roots.sort(byStart);
    for (const copy of copies.values()) if (!isSortedByStart(copy.children)) copy.children.sort(byStart);
  }
  const spans = treeOrder(roots);
  let startNs = trace.startNs;
  let endNs = trace.endNs;
  if (anyShift && spans.length > 0) {
    startNs = spans[0]!.startNs;
    endNs = spans[0]!.endNs;
    for (const s of spans) {
      if (s.startNs < startNs) startNs = s.startNs;
      if (s.endNs > endNs) endNs = s.endNs;
    }
  }
  // Nothing moved: the records stay as they were (a copy of the list, as callers may sort theirs).
  const records = shiftedRecords.size === 0 ? [...trace.records] : trace.records.map((r) => shiftedRecords.get(r) ?? r);
  if (anyShift) records.sort(byTime);

  return {
    ...trace,
    startNs,
    endNs,
    durationMs: Number(endNs - startNs) / NS_PER_MS,
    spans,
    roots,
    warnings: [...trace.warnings, ...dedupe(warnings)],
    records,
  };
}

/** The machine: the host field when lines carry one, else the service. */
function physicalHost(span: Span): string {
  return span.host ?? span.service;
}

/** How far the child must move to sit inside its parent, per Jaeger's rules; 0 when it need not. */
function skewNs(child: Span, parent: Span, tolNs: bigint): bigint {
  const startsInside = child.startNs >= parent.startNs - tolNs;
  if (startsInside && child.endNs <= parent.endNs + tolNs) return 0n;
  // Started inside, ended after: the caller gave up and the work went on. Not skew.
  if (startsInside && child.startNs <= parent.endNs) return 0n;
  const parentDur = parent.endNs - parent.startNs;
  const childDur = child.endNs - child.startNs;
  // Not shorter than the parent: only stop it starting first. Equal counts too, because a span
  // seen in a single line has no length and a later one-line child is no evidence of skew.
  if (childDur >= parentDur) {
    const d = parent.startNs - child.startNs;
    return d > tolNs ? d : 0n;
  }
  // Centre it, assuming the network latency splits evenly both ways.
  const d = parent.startNs + (parentDur - childDur) / 2n - child.startNs;
  return abs(d) <= tolNs ? 0n : d;
}

function outlives(child: Span, parent: Span, tolNs: bigint): boolean {
  // A parent known from a single line has no real end to outlive.
  if (parent.endNs - parent.startNs <= tolNs) return false;
  return child.startNs >= parent.startNs - tolNs && child.startNs <= parent.endNs && child.endNs > parent.endNs + tolNs;
}

function shiftSpan(span: Span, delta: bigint, shiftedRecords: Map<LogRecord, LogRecord>): Span {
  const copy: Span = { ...span, children: [], outlivesParent: false };
  if (delta === 0n) return copy;
  copy.startNs = span.startNs + delta;
  copy.endNs = span.endNs + delta;
  copy.skewShiftMs = span.skewShiftMs + Number(delta) / NS_PER_MS;
  copy.records = span.records.map((r) => {
    const moved: LogRecord = { ...r, timeNs: r.timeNs === null ? null : r.timeNs + delta };
    shiftedRecords.set(r, moved);
    return moved;
  });
  return copy;
}

function isSortedByStart(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i - 1]!.startNs > spans[i]!.startNs) return false;
  return true;
}

/** Time order, lines without a time last. */
function byTime(a: LogRecord, b: LogRecord): number {
  if (a.timeNs === null || b.timeNs === null) return a.timeNs === b.timeNs ? 0 : a.timeNs === null ? 1 : -1;
  return a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0;
}

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * NS_PER_MS));
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function formatMs(ns: bigint): string {
  const ms = Math.abs(Number(ns) / NS_PER_MS);
  return ms >= 10 ? String(Math.round(ms)) : String(Number(ms.toFixed(1)));
}

/** `−750` / `+12`: the real minus sign, as the row and warnings show it. */
function formatSignedMs(ns: bigint): string {
  return (ns < 0n ? '\u2212' : '+') + formatMs(ns);
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
