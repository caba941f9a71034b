// The per-span rules as a fold: a span's facts are built by adding its records one at a time
// (in any order) and two partial facts of one span merge into one. Everything a command says
// about a span — its interval, name, error, host, kind, status and the evidence parent inference
// reads — comes from here, so `show`, `traces`, `check` and `tail` cannot disagree about it.
import type { AnsweredStatus, GrpcInfo, HttpInfo, LinePos, LogRecord, SpanEvidence, SpanKind } from '../types.js';
import { isAnswerLine, isWarning, recordErrorReason } from './span-errors.js';
import { keepLine, lineFacts, mergeLines, NO_LINES, wouldKeep, type LinePack } from './span-lines.js';
import { answeredStatus, internHttp, internText, searchText } from './span-values.js';

/** Evidence lines kept per span: callers log a handful of calls; more is rarely evidence. */
export const EVIDENCE_LINES = 24;
/** Error lines kept per span, for the silent-failure rule and the error origin. */
const ERROR_LINES = 4;

/** An untimed line sorts after every timed one: it cannot say where it belongs. */
const NEVER = 0x7fffffffffffffffn;

const NAME_NONE = 5;
// `bits`: the name's rank in the low three bits, then three flags.
const RANK = 7;
const WARNING = 8;
const HAS_DURATION = 16;
const LOGS_PARENT = 32;

/**
 * What few spans have: a whole-span record's duration (OTLP dump), errors, a span kind, a gRPC
 * call, error lines, and the records themselves when the caller keeps them (`show`). Made when
 * the first of them is: a span without any is one object smaller.
 */
class RareFacts {
  /** A duration stated by a whole-span record: the earliest. */
  dumpAt: bigint = NEVER;
  dumpMs = 0;
  /** The earliest error reason, and the earliest explicit error field (it says more). */
  firstError: string | null = null;
  firstErrorAt: bigint = NEVER;
  explicitError: string | null = null;
  explicitErrorAt: bigint = NEVER;
  kind: SpanKind | null = null;
  kindAt: bigint = NEVER;
  grpc: GrpcInfo | null = null;
  grpcAt: bigint = NEVER;
  errorLines: LinePack = NO_LINES;
  records: LogRecord[] | null = null;
}

/**
 * One span's facts. Flat and small on purpose: `traces` holds one of these per span of every
 * trace in a file, so each "earliest X" is a value and its time, not an object of its own, the
 * evidence lines are packed (span-lines.ts), and what few spans have is in `rare`.
 */
export class SpanFacts {
  /** The name by source rank (span name, RPC, HTTP, route, message), then the earliest. */
  name = '';
  nameAt: bigint = NEVER;
  private bits = NAME_NONE;
  lineCount = 0;
  /** The process id of the earliest line ('' when it says none). Its time is firstNs's. */
  pid = '';
  /** The earliest and latest timed lines (see SpanEvidence), as values: set on every line. */
  firstNs: bigint = NEVER;
  firstOrigin = '';
  firstLineNo = 0;
  lastNs: bigint = NEVER;
  lastOrigin = '';
  lastLineNo = 0;
  lastMessage = '';
  /** The earliest logged parent id. */
  loggedParent: string | null = null;
  loggedParentAt: bigint = NEVER;
  host: string | null = null;
  hostAt: bigint = NEVER;
  http: HttpInfo | null = null;
  httpAt: bigint = NEVER;
  /** The latest HTTP status or gRPC code a line answered with (an untimed line counts as latest). */
  status: AnsweredStatus | null = null;
  statusAt = -1n;
  /** A "request completed in X" line: the latest. */
  doneAt = -1n;
  doneMs = 0;
  /** The earliest timed lines, packed. */
  lines: LinePack = NO_LINES;
  rare: RareFacts | null = null;

  constructor(
    public spanId: string,
    public service: string,
  ) {}

  get nameRank(): number {
    return this.bits & RANK;
  }
  get warning(): boolean {
    return (this.bits & WARNING) !== 0;
  }
  get hasDuration(): boolean {
    return (this.bits & HAS_DURATION) !== 0;
  }
  get logsParent(): boolean {
    return (this.bits & LOGS_PARENT) !== 0;
  }
  get dumpAt(): bigint {
    return this.rare?.dumpAt ?? NEVER;
  }
  get dumpMs(): number {
    return this.rare?.dumpMs ?? 0;
  }
  get firstError(): string | null {
    return this.rare?.firstError ?? null;
  }
  get explicitError(): string | null {
    return this.rare?.explicitError ?? null;
  }
  get kind(): SpanKind | null {
    return this.rare?.kind ?? null;
  }
  get grpc(): GrpcInfo | null {
    return this.rare?.grpc ?? null;
  }
  /** The records themselves, only when the caller keeps them (`show`). */
  get records(): LogRecord[] | null {
    return this.rare?.records ?? null;
  }

  /** Sets the name and its rank. */
  named(name: string, rank: number, at: bigint): void {
    [this.name, this.nameAt, this.bits] = [name, at, (this.bits & ~RANK) | rank];
  }
  flag(bit: number): void {
    this.bits |= bit;
  }
  more(): RareFacts {
    return (this.rare ??= new RareFacts());
  }
}

/**
 * A copy that assembling can change (it merges service visits into spans) while `f` goes on
 * folding. The packed lines are shared: they are never changed in place.
 */
export function copySpanFacts(f: SpanFacts): SpanFacts {
  const copy = Object.assign(new SpanFacts(f.spanId, f.service), f);
  if (f.rare) copy.rare = Object.assign(new RareFacts(), f.rare, { records: f.rare.records && [...f.rare.records] });
  return copy;
}

export function newSpanFacts(spanId: string, service: string, keepRecords: boolean): SpanFacts {
  const f = new SpanFacts(spanId, service);
  if (keepRecords) f.more().records = [];
  return f;
}

/** Adds one record of this span. Ties in time go to the record added first. */
export function addRecord(f: SpanFacts, r: LogRecord): void {
  const at = r.timeNs ?? NEVER;
  // The pid's rule compares with the earliest time before this record: firstNs, until addEvidence.
  const earliest = f.firstNs;
  f.lineCount++;
  f.rare?.records?.push(r);
  if (r.parentSpanId) {
    f.flag(LOGS_PARENT);
    if (f.loggedParent === null || at < f.loggedParentAt) [f.loggedParent, f.loggedParentAt] = [r.parentSpanId, at];
  }
  if (r.durationMs !== null) {
    f.flag(HAS_DURATION);
    if (r.timeNs !== null) {
      if (r.isSpanRecord) {
        const rare = f.more();
        if (at < rare.dumpAt) [rare.dumpAt, rare.dumpMs] = [at, r.durationMs];
      } else if (at >= f.doneAt) [f.doneAt, f.doneMs] = [at, r.durationMs];
    }
  }
  const reason = recordErrorReason(r);
  if (reason !== null) {
    const rare = f.more();
    if (rare.firstError === null || at < rare.firstErrorAt) [rare.firstError, rare.firstErrorAt] = [reason, at];
    if (r.error && (rare.explicitError === null || at < rare.explicitErrorAt)) [rare.explicitError, rare.explicitErrorAt] = [r.error, at];
  }
  if (!f.warning && isWarning(r)) f.flag(WARNING);
  const rank = nameRank(r);
  if (rank < f.nameRank || (rank === f.nameRank && rank < NAME_NONE && at < f.nameAt)) f.named(nameOf(r, rank), rank, at);
  if (r.host && (f.host === null || at < f.hostAt)) [f.host, f.hostAt] = [internText(r.host), at];
  if (r.spanKind && (f.kind === null || at < f.rare!.kindAt)) [f.more().kind, f.rare!.kindAt] = [r.spanKind, at];
  if (r.http && (f.http === null || at < f.httpAt)) [f.http, f.httpAt] = [internHttp(r.http), at];
  if (r.grpc && (f.grpc === null || at < f.rare!.grpcAt)) [f.more().grpc, f.rare!.grpcAt] = [r.grpc, at];
  const status = answeredStatus(r);
  if (status !== null && at >= f.statusAt) [f.status, f.statusAt] = [status, at];
  if (at < earliest || f.lineCount === 1) f.pid = r.pid ?? '';
  if (r.timeNs !== null) addEvidence(f, r, reason);
}

/** Folds `from` (the same span, read elsewhere) into `into`. */
export function mergeFacts(into: SpanFacts, from: SpanFacts): void {
  into.lineCount += from.lineCount;
  const fromRecords = from.records;
  if (into.records && fromRecords) for (const r of fromRecords) into.records.push(r);
  if (from.loggedParent !== null && (into.loggedParent === null || from.loggedParentAt < into.loggedParentAt)) [into.loggedParent, into.loggedParentAt] = [from.loggedParent, from.loggedParentAt];
  if (from.dumpAt < into.dumpAt) [into.more().dumpAt, into.more().dumpMs] = [from.dumpAt, from.dumpMs];
  if (from.doneAt >= into.doneAt && from.doneAt >= 0n) [into.doneAt, into.doneMs] = [from.doneAt, from.doneMs];
  const fromRare = from.rare;
  if (fromRare?.firstError != null && (into.firstError === null || fromRare.firstErrorAt < into.rare!.firstErrorAt)) [into.more().firstError, into.more().firstErrorAt] = [fromRare.firstError, fromRare.firstErrorAt];
  if (fromRare?.explicitError != null && (into.explicitError === null || fromRare.explicitErrorAt < into.rare!.explicitErrorAt)) [into.more().explicitError, into.more().explicitErrorAt] = [fromRare.explicitError, fromRare.explicitErrorAt];
  if (from.nameRank < into.nameRank || (from.nameRank === into.nameRank && from.nameRank < NAME_NONE && from.nameAt < into.nameAt)) into.named(from.name, from.nameRank, from.nameAt);
  if (from.warning) into.flag(WARNING);
  if (from.host !== null && (into.host === null || from.hostAt < into.hostAt)) [into.host, into.hostAt] = [from.host, from.hostAt];
  if (fromRare?.kind != null && (into.kind === null || fromRare.kindAt < into.rare!.kindAt)) [into.more().kind, into.more().kindAt] = [fromRare.kind, fromRare.kindAt];
  if (from.http !== null && (into.http === null || from.httpAt < into.httpAt)) [into.http, into.httpAt] = [from.http, from.httpAt];
  if (fromRare?.grpc != null && (into.grpc === null || fromRare.grpcAt < into.rare!.grpcAt)) [into.more().grpc, into.more().grpcAt] = [fromRare.grpc, fromRare.grpcAt];
  if (from.status !== null && from.statusAt >= into.statusAt) [into.status, into.statusAt] = [from.status, from.statusAt];
  // The pid's time is the earliest line's (firstNs), so this compares before firstNs is merged.
  if (from.firstNs < into.firstNs) into.pid = from.pid;
  if (from.hasDuration) into.flag(HAS_DURATION);
  if (from.logsParent) into.flag(LOGS_PARENT);
  const fresh = into.firstNs === NEVER;
  if (from.firstNs !== NEVER && (fresh || before(from.firstNs, from.firstOrigin, from.firstLineNo, into.firstNs, into.firstOrigin, into.firstLineNo))) {
    [into.firstNs, into.firstOrigin, into.firstLineNo] = [from.firstNs, from.firstOrigin, from.firstLineNo];
  }
  if (from.firstNs !== NEVER && (fresh || !before(from.lastNs, from.lastOrigin, from.lastLineNo, into.lastNs, into.lastOrigin, into.lastLineNo))) {
    [into.lastNs, into.lastOrigin, into.lastLineNo, into.lastMessage] = [from.lastNs, from.lastOrigin, from.lastLineNo, from.lastMessage];
  }
  into.lines = mergeLines(into.lines, from.lines, EVIDENCE_LINES);
  const fromErrors = fromRare?.errorLines ?? NO_LINES;
  if (fromErrors.length > 0) into.more().errorLines = mergeLines(into.more().errorLines, fromErrors, ERROR_LINES);
}

/** What inference reads of the span's lines, as the trace model's Span carries it. */
export function evidenceOf(f: SpanFacts): SpanEvidence {
  const timed = f.firstNs !== NEVER;
  return {
    first: timed ? { timeNs: f.firstNs, origin: f.firstOrigin, lineNo: f.firstLineNo } : null,
    last: timed ? { timeNs: f.lastNs, origin: f.lastOrigin, lineNo: f.lastLineNo } : null,
    lastMessage: f.lastMessage,
    lines: lineFacts(f.lines),
    errorLines: lineFacts(f.rare?.errorLines ?? NO_LINES),
    hasDuration: f.hasDuration,
    logsParent: f.logsParent,
    pid: f.pid,
  };
}

/** The interval the span's own lines cover (before any stated duration), or null if untimed. */
export function linesInterval(f: SpanFacts): { start: bigint; end: bigint } | null {
  return f.firstNs !== NEVER ? { start: f.firstNs, end: f.lastNs } : null;
}

function addEvidence(f: SpanFacts, r: LogRecord, reason: string | null): void {
  const ns = r.timeNs!;
  const fresh = f.firstNs === NEVER;
  if (fresh || before(ns, r.origin, r.lineNo, f.firstNs, f.firstOrigin, f.firstLineNo)) {
    [f.firstNs, f.firstOrigin, f.firstLineNo] = [ns, r.origin, r.lineNo];
  }
  if (fresh || !before(ns, r.origin, r.lineNo, f.lastNs, f.lastOrigin, f.lastLineNo)) {
    [f.lastNs, f.lastOrigin, f.lastLineNo, f.lastMessage] = [ns, r.origin, r.lineNo, internText(r.message)];
  }
  const keep = wouldKeep(f.lines, EVIDENCE_LINES, ns, r.origin, r.lineNo);
  const keepError = reason !== null && wouldKeep(f.rare?.errorLines ?? NO_LINES, ERROR_LINES, ns, r.origin, r.lineNo);
  if (!keep && !keepError) return;
  const answer = isAnswerLine(r);
  const text = answer && reason === null ? '' : searchText(r);
  if (keep) f.lines = keepLine(f.lines, EVIDENCE_LINES, ns, r.origin, r.lineNo, text, answer, reason);
  if (keepError) f.more().errorLines = keepLine(f.more().errorLines, ERROR_LINES, ns, r.origin, r.lineNo, text, answer, reason);
}

/** Whether position (a) comes strictly before (b): comparePosition on values, allocating nothing. */
function before(aNs: bigint, aOrigin: string, aLine: number, bNs: bigint, bOrigin: string, bLine: number): boolean {
  if (aNs !== bNs) return aNs < bNs;
  return aOrigin === bOrigin && aLine < bLine;
}

/** Time order; within one file, line order breaks ties. */
export function comparePosition(a: LinePos, b: LinePos): number {
  if (a.timeNs !== b.timeNs) return a.timeNs < b.timeNs ? -1 : 1;
  return a.origin === b.origin ? a.lineNo - b.lineNo : 0;
}

// Name sources in order of preference: a logged span name, the RPC, the HTTP call, the route,
// the message.
function nameRank(r: LogRecord): number {
  if (r.spanName) return 0;
  if (r.grpc?.method) return 1;
  if (r.http?.route) return r.http.method ? 2 : 3;
  return r.message ? 4 : NAME_NONE;
}

function nameOf(r: LogRecord, rank: number): string {
  switch (rank) {
    case 0:
      return r.spanName!;
    case 1:
      return r.grpc!.service ? `${r.grpc!.service}/${r.grpc!.method}` : r.grpc!.method!;
    case 2:
      return `${r.http!.method} ${r.http!.route}`;
    case 3:
      return r.http!.route!;
    default:
      return r.message;
  }
}
