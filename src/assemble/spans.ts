import type { LogRecord, Span, SpanEvidence } from '../types.js';
import { evidenceOf, type SpanFacts } from './span-facts.js';
import { UNKNOWN_SERVICE } from './trace-facts.js';

const NEVER = 0x7fffffffffffffffn;

/**
 * A span from its folded facts: its interval, name, error, kind and status. `spanId` and
 * `loggedParent` are given because a B3 shared span's second half gets its own id under the
 * first half.
 */
export function spanFromFacts(f: SpanFacts, spanId: string, loggedParent: string | null): Span {
  const timed = f.firstNs !== NEVER;
  let startNs = timed ? f.firstNs : 0n;
  let endNs = timed ? f.lastNs : 0n;
  // An explicit duration wins over first-to-last timestamps.
  if (f.dumpAt !== NEVER) {
    startNs = f.dumpAt;
    endNs = startNs + msToNs(f.dumpMs);
  } else if (f.doneAt >= 0n) {
    // The line's own duration, from the span's start: loggers stamp a closing line after the
    // work ended (logback builds the stack first, a few ms), so its time overstates the end.
    startNs = minBig(startNs, f.doneAt - msToNs(f.doneMs));
    endNs = startNs + msToNs(f.doneMs);
  }
  const error = f.firstError !== null;
  return {
    spanId,
    parentSpanId: loggedParent,
    service: f.service,
    name: f.name || '(no message)',
    startNs,
    endNs,
    durationMs: nsToMs(endNs - startNs),
    records: f.records ? f.records.sort(byTime) : [],
    evidence: evidenceOf(f),
    lineCount: f.lineCount,
    error,
    errorMessage: f.explicitError ?? f.firstError,
    inferredParent: false,
    inferredBy: null,
    clockOffsetMs: 0,
    placeholder: false,
    warning: !error && f.warning,
    host: f.host,
    kind: f.kind,
    status: f.status,
    http: f.http ?? undefined,
    grpc: f.grpc ?? undefined,
    children: [],
    depth: 0,
    errorOrigin: false,
    skewShiftMs: 0,
    outlivesParent: false,
  };
}

export function emptyEvidence(): SpanEvidence {
  return { first: null, last: null, lastMessage: '', lines: [], errorLines: [], hasDuration: false, logsParent: false, pid: '' };
}

/** A span that children point at but that never logged a line of its own. */
export function placeholderSpan(spanId: string, children: readonly Span[]): Span {
  const startNs = children.reduce((m, c) => minBig(m, c.startNs), children[0]!.startNs);
  const endNs = children.reduce((m, c) => maxBig(m, c.endNs), children[0]!.endNs);
  return {
    spanId,
    parentSpanId: null,
    service: UNKNOWN_SERVICE,
    name: '(not logged)',
    startNs,
    endNs,
    durationMs: nsToMs(endNs - startNs),
    records: [],
    evidence: emptyEvidence(),
    lineCount: 0,
    error: false,
    errorMessage: null,
    inferredParent: false,
    inferredBy: null,
    clockOffsetMs: 0,
    placeholder: true,
    warning: false,
    host: null,
    kind: null,
    children: [],
    depth: 0,
    errorOrigin: false,
    skewShiftMs: 0,
    outlivesParent: false,
  };
}

export function byTime(a: LogRecord, b: LogRecord): number {
  return cmpBig(timeOf(a), timeOf(b));
}

function timeOf(r: LogRecord): bigint {
  // Untimed lines sort last: they cannot say where they belong.
  return r.timeNs ?? 0x7fffffffffffffffn;
}

export function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

export function nsToMs(ns: bigint): number {
  return Number(ns) / 1e6;
}
