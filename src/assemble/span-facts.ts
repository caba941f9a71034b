// The per-span rules as a fold: a span's facts are built by adding its records one at a time
// (in any order) and two partial facts of one span merge into one. Everything a command says
// about a span — its interval, name, error, host, kind, status and the evidence parent inference
// reads — comes from here, so `show`, `traces`, `check` and `tail` cannot disagree about it.
import type { AnsweredStatus, GrpcInfo, HttpInfo, LineFact, LinePos, LogRecord, SpanEvidence, SpanKind } from '../types.js';
import { isAnswerLine, isWarning, recordErrorReason } from './span-errors.js';

/** Evidence lines kept per span: callers log a handful of calls; more is rarely evidence. */
export const EVIDENCE_LINES = 24;
/** Error lines kept per span, for the silent-failure rule and the error origin. */
const ERROR_LINES = 4;
/** Characters of a line searched for a service name: calls name their callee early. */
const TEXT_CHARS = 300;

/** An untimed line sorts after every timed one: it cannot say where it belongs. */
const NEVER = 0x7fffffffffffffffn;

/**
 * One span's facts. Flat on purpose: `traces` holds one of these per span of every trace in a
 * file, so each "earliest X" is a value and its time, not an object of its own.
 */
export interface SpanFacts {
  spanId: string;
  service: string;
  /** The earliest logged parent id. */
  loggedParent: string | null;
  loggedParentAt: bigint;
  /** A duration stated by a whole-span record (OTLP dump): the earliest. */
  dumpAt: bigint;
  dumpMs: number;
  /** A "request completed in X" line: the latest. */
  doneAt: bigint;
  doneMs: number;
  /** The earliest error reason, and the earliest explicit error field (it says more). */
  firstError: string | null;
  firstErrorAt: bigint;
  explicitError: string | null;
  explicitErrorAt: bigint;
  /** Name by source rank (span name, RPC, HTTP, route, message), then the earliest. */
  name: string;
  nameRank: number;
  nameAt: bigint;
  warning: boolean;
  host: string | null;
  hostAt: bigint;
  kind: SpanKind | null;
  kindAt: bigint;
  http: HttpInfo | null;
  httpAt: bigint;
  grpc: GrpcInfo | null;
  grpcAt: bigint;
  /** The latest HTTP status or gRPC code a line answered with (an untimed line counts as latest). */
  status: AnsweredStatus | null;
  statusAt: bigint;
  /** The earliest and latest timed lines (see SpanEvidence), as values: set on every line. */
  firstNs: bigint;
  firstOrigin: string;
  firstLineNo: number;
  lastNs: bigint;
  lastOrigin: string;
  lastLineNo: number;
  lastMessage: string;
  lines: LineFact[];
  errorLines: LineFact[];
  hasDuration: boolean;
  logsParent: boolean;
  pid: string;
  pidAt: bigint;
  lineCount: number;
  /** The records themselves, only when the caller keeps them (`show`). */
  records: LogRecord[] | null;
}

const NAME_NONE = 5;
/** Shared by every span until it has a line to keep: most spans have no error lines. */
const NONE: LineFact[] = [];

export function newSpanFacts(spanId: string, service: string, keepRecords: boolean): SpanFacts {
  return {
    spanId,
    service,
    loggedParent: null,
    loggedParentAt: NEVER,
    dumpAt: NEVER,
    dumpMs: 0,
    doneAt: -1n,
    doneMs: 0,
    firstError: null,
    firstErrorAt: NEVER,
    explicitError: null,
    explicitErrorAt: NEVER,
    name: '',
    nameRank: NAME_NONE,
    nameAt: NEVER,
    warning: false,
    host: null,
    hostAt: NEVER,
    kind: null,
    kindAt: NEVER,
    http: null,
    httpAt: NEVER,
    grpc: null,
    grpcAt: NEVER,
    status: null,
    statusAt: -1n,
    firstNs: NEVER,
    firstOrigin: '',
    firstLineNo: 0,
    lastNs: NEVER,
    lastOrigin: '',
    lastLineNo: 0,
    lastMessage: '',
    lines: NONE,
    errorLines: NONE,
    hasDuration: false,
    logsParent: false,
    pid: '',
    pidAt: NEVER,
    lineCount: 0,
    records: keepRecords ? [] : null,
  };
}

/** Adds one record of this span. Ties in time go to the record added first. */
export function addRecord(f: SpanFacts, r: LogRecord): void {
  const at = r.timeNs ?? NEVER;
  f.lineCount++;
  if (f.records) f.records.push(r);
  if (r.parentSpanId) {
    f.logsParent = true;
    if (f.loggedParent === null || at < f.loggedParentAt) [f.loggedParent, f.loggedParentAt] = [r.parentSpanId, at];
  }
  if (r.durationMs !== null) {
    f.hasDuration = true;
    if (r.timeNs !== null) {
      if (r.isSpanRecord) {
        if (at < f.dumpAt) [f.dumpAt, f.dumpMs] = [at, r.durationMs];
      } else if (at >= f.doneAt) [f.doneAt, f.doneMs] = [at, r.durationMs];
    }
  }
  const reason = recordErrorReason(r);
  if (reason !== null) {
    if (f.firstError === null || at < f.firstErrorAt) [f.firstError, f.firstErrorAt] = [reason, at];
    if (r.error && (f.explicitError === null || at < f.explicitErrorAt)) [f.explicitError, f.explicitErrorAt] = [r.error, at];
  }
  if (!f.warning && isWarning(r)) f.warning = true;
  const rank = nameRank(r);
  if (rank < f.nameRank || (rank === f.nameRank && rank < NAME_NONE && at < f.nameAt)) [f.name, f.nameRank, f.nameAt] = [nameOf(r, rank), rank, at];
  if (r.host && (f.host === null || at < f.hostAt)) [f.host, f.hostAt] = [r.host, at];
  if (r.spanKind && (f.kind === null || at < f.kindAt)) [f.kind, f.kindAt] = [r.spanKind, at];
  if (r.http && (f.http === null || at < f.httpAt)) [f.http, f.httpAt] = [r.http, at];
  if (r.grpc && (f.grpc === null || at < f.grpcAt)) [f.grpc, f.grpcAt] = [r.grpc, at];
  const status = answeredStatus(r);
  if (status !== null && at >= f.statusAt) [f.status, f.statusAt] = [status, at];
  if (at < f.pidAt || f.lineCount === 1) [f.pid, f.pidAt] = [r.pid ?? '', at];
  if (r.timeNs !== null) addEvidence(f, r, reason);
}

/** Folds `from` (the same span, read elsewhere) into `into`. */
export function mergeFacts(into: SpanFacts, from: SpanFacts): void {
  into.lineCount += from.lineCount;
  if (into.records && from.records) for (const r of from.records) into.records.push(r);
  if (from.loggedParent !== null && (into.loggedParent === null || from.loggedParentAt < into.loggedParentAt)) [into.loggedParent, into.loggedParentAt] = [from.loggedParent, from.loggedParentAt];
  if (from.dumpAt < into.dumpAt) [into.dumpAt, into.dumpMs] = [from.dumpAt, from.dumpMs];
  if (from.doneAt >= into.doneAt && from.doneAt >= 0n) [into.doneAt, into.doneMs] = [from.doneAt, from.doneMs];
  if (from.firstError !== null && (into.firstError === null || from.firstErrorAt < into.firstErrorAt)) [into.firstError, into.firstErrorAt] = [from.firstError, from.firstErrorAt];
  if (from.explicitError !== null && (into.explicitError === null || from.explicitErrorAt < into.explicitErrorAt)) [into.explicitError, into.explicitErrorAt] = [from.explicitError, from.explicitErrorAt];
  if (from.nameRank < into.nameRank || (from.nameRank === into.nameRank && from.nameRank < NAME_NONE && from.nameAt < into.nameAt)) [into.name, into.nameRank, into.nameAt] = [from.name, from.nameRank, from.nameAt];
  into.warning ||= from.warning;
  if (from.host !== null && (into.host === null || from.hostAt < into.hostAt)) [into.host, into.hostAt] = [from.host, from.hostAt];
  if (from.kind !== null && (into.kind === null || from.kindAt < into.kindAt)) [into.kind, into.kindAt] = [from.kind, from.kindAt];
  if (from.http !== null && (into.http === null || from.httpAt < into.httpAt)) [into.http, into.httpAt] = [from.http, from.httpAt];
  if (from.grpc !== null && (into.grpc === null || from.grpcAt < into.grpcAt)) [into.grpc, into.grpcAt] = [from.grpc, from.grpcAt];
  if (from.status !== null && from.statusAt >= into.statusAt) [into.status, into.statusAt] = [from.status, from.statusAt];
  if (from.pidAt < into.pidAt) [into.pid, into.pidAt] = [from.pid, from.pidAt];
  into.hasDuration ||= from.hasDuration;
  into.logsParent ||= from.logsParent;
  const fresh = into.firstNs === NEVER;
  if (from.firstNs !== NEVER && (fresh || before(from.firstNs, from.firstOrigin, from.firstLineNo, into.firstNs, into.firstOrigin, into.firstLineNo))) {
    [into.firstNs, into.firstOrigin, into.firstLineNo] = [from.firstNs, from.firstOrigin, from.firstLineNo];
  }
  if (from.firstNs !== NEVER && (fresh || !before(from.lastNs, from.lastOrigin, from.lastLineNo, into.lastNs, into.lastOrigin, into.lastLineNo))) {
    [into.lastNs, into.lastOrigin, into.lastLineNo, into.lastMessage] = [from.lastNs, from.lastOrigin, from.lastLineNo, from.lastMessage];
  }
  for (const line of from.lines) into.lines = keepEarliest(into.lines, line, EVIDENCE_LINES);
  for (const line of from.errorLines) into.errorLines = keepEarliest(into.errorLines, line, ERROR_LINES);
}

/** What inference reads of the span's lines, as the trace model's Span carries it. */
export function evidenceOf(f: SpanFacts): SpanEvidence {
  const timed = f.firstNs !== NEVER;
  return {
    first: timed ? { timeNs: f.firstNs, origin: f.firstOrigin, lineNo: f.firstLineNo } : null,
    last: timed ? { timeNs: f.lastNs, origin: f.lastOrigin, lineNo: f.lastLineNo } : null,
    lastMessage: f.lastMessage,
    lines: f.lines,
    errorLines: f.errorLines,
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
  if (fresh || !before(ns, r.origin, r.lineNo, f.lastNs, f.lastOrigin, f.lastLineNo)) [f.lastNs, f.lastOrigin, f.lastLineNo, f.lastMessage] = [ns, r.origin, r.lineNo, r.message];
  const lastKept = f.lines[f.lines.length - 1];
  const full = f.lines.length >= EVIDENCE_LINES && !before(ns, r.origin, r.lineNo, lastKept!.timeNs, lastKept!.origin, lastKept!.lineNo);
  const lastError = f.errorLines[f.errorLines.length - 1];
  const errorsFull = reason === null || (f.errorLines.length >= ERROR_LINES && !before(ns, r.origin, r.lineNo, lastError!.timeNs, lastError!.origin, lastError!.lineNo));
  if (full && errorsFull) return;
  const answer = isAnswerLine(r);
  const text = answer && reason === null ? '' : searchText(r);
  const line: LineFact = { timeNs: ns, origin: r.origin, lineNo: r.lineNo, text, answer, errorReason: reason };
  if (!full) f.lines = keepEarliest(f.lines, line, EVIDENCE_LINES);
  if (!errorsFull) f.errorLines = keepEarliest(f.errorLines, line, ERROR_LINES);
}

/**
 * `list` with `line` inserted in position order, the latest dropped beyond `cap`. A new array of
 * exactly the needed length: pushing would reserve room for 16 more lines in every span.
 */
function keepEarliest(list: LineFact[], line: LineFact, cap: number): LineFact[] {
  let i = list.length;
  while (i > 0 && comparePosition(list[i - 1]!, line) > 0) i--;
  if (i >= cap) return list;
  const out = list.length < cap ? new Array<LineFact>(list.length + 1) : new Array<LineFact>(cap);
  for (let j = 0; j < i; j++) out[j] = list[j]!;
  out[i] = line;
  for (let j = i; j < list.length && j + 1 < out.length; j++) out[j + 1] = list[j]!;
  return out;
}

/**
 * What "this line names service X" searches: the message, the error, and the fields the alias
 * tables say name a callee (peer.service, server.address, a URL: normalise/fields.ts). Not the
 * other fields, so that every command sees the same text whether or not it keeps attributes.
 * Lines repeat their templates, so equal texts are stored once.
 */
function searchText(r: LogRecord): string {
  let text = r.error ? `${r.message}\n${r.error}` : r.message;
  if (r.peer) text += `\n${r.peer}`;
  return internText(text.length > TEXT_CHARS ? text.slice(0, TEXT_CHARS) : text);
}

/** Bounded: a run of unique texts fills it once, then texts are kept as they come. */
const TEXTS_INTERNED = 1 << 16;
const texts = new Map<string, string>();

function internText(text: string): string {
  const known = texts.get(text);
  if (known !== undefined) return known;
  if (texts.size < TEXTS_INTERNED) texts.set(text, text);
  return text;
}

/** The HTTP status or gRPC code a record answered with, if it says. */
function answeredStatus(r: LogRecord): AnsweredStatus | null {
  if (r.http?.status !== undefined) return { kind: 'http', status: r.http.status };
  if (r.grpc?.code !== undefined) return { kind: 'grpc', code: r.grpc.code };
  return null;
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
