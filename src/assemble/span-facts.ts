// The per-span rules as a fold: a span's facts are built by adding its records one at a time
// (in any order) and two partial facts of one span merge into one. Everything a command says
// about a span — its interval, name, error, host, kind, status and the evidence parent inference
// reads — comes from here, so `show`, `traces`, `check` and `tail` cannot disagree about it.
import type { GrpcInfo, HttpInfo, LineFact, LinePos, LogRecord, SpanEvidence, SpanKind } from '../types.js';
import { isAnswerLine, isWarning, recordErrorReason } from './span-errors.js';

/** Evidence lines kept per span: callers log a handful of calls; more is rarely evidence. */
export const EVIDENCE_LINES = 24;
/** Error lines kept per span, for the silent-failure rule and the error origin. */
const ERROR_LINES = 4;
/** Characters of a line searched for a service name: calls name their callee early. */
const TEXT_CHARS = 160;
/** Longer field values (stack traces, user agents, bodies) are not where a service is named. */
const FIELD_CHARS = 100;
/** Field values that are ids, numbers, times or addresses cannot be a service's name. */
const NOT_A_NAME = /^(?:[0-9a-f-]{16,}|[\d.:+TZ -]*)$/i;

/** An untimed line sorts after every timed one: it cannot say where it belongs. */
const NEVER = 0x7fffffffffffffffn;

interface Timed<T> {
  at: bigint;
  value: T;
}

export interface SpanFacts {
  spanId: string;
  service: string;
  /** The earliest logged parent id. */
  loggedParent: Timed<string> | null;
  /** A duration stated by a whole-span record (OTLP dump): the earliest. */
  dump: { at: bigint; ms: number } | null;
  /** A "request completed in X" line: the latest. */
  done: { at: bigint; ms: number } | null;
  /** The earliest error reason, and the earliest explicit error field (it says more). */
  firstError: Timed<string> | null;
  explicitError: Timed<string> | null;
  /** Name by source rank (span name, RPC, HTTP, route, message), then the earliest. */
  name: { rank: number; at: bigint; value: string };
  warning: boolean;
  host: Timed<string> | null;
  kind: Timed<SpanKind> | null;
  http: Timed<HttpInfo> | null;
  grpc: Timed<GrpcInfo> | null;
  evidence: SpanEvidence;
  /** The earliest record's time, for the pid rule. */
  pidAt: bigint;
  lineCount: number;
  /** The records themselves, only when the caller keeps them (`show`). */
  records: LogRecord[] | null;
}

const NAME_NONE = 5;

export function newSpanFacts(spanId: string, service: string, keepRecords: boolean): SpanFacts {
  return {
    spanId,
    service,
    loggedParent: null,
    dump: null,
    done: null,
    firstError: null,
    explicitError: null,
    name: { rank: NAME_NONE, at: NEVER, value: '' },
    warning: false,
    host: null,
    kind: null,
    http: null,
    grpc: null,
    evidence: { first: null, last: null, lastMessage: '', lines: [], errorLines: [], hasDuration: false, logsParent: false, pid: '' },
    pidAt: NEVER,
    lineCount: 0,
    records: keepRecords ? [] : null,
  };
}

/** Adds one record of this span. */
export function addRecord(f: SpanFacts, r: LogRecord): void {
  const at = r.timeNs ?? NEVER;
  f.lineCount++;
  if (f.records) f.records.push(r);
  if (r.parentSpanId) {
    f.evidence.logsParent = true;
    f.loggedParent = earliest(f.loggedParent, at, r.parentSpanId);
  }
  if (r.durationMs !== null) {
    f.evidence.hasDuration = true;
    if (r.timeNs !== null) {
      if (r.isSpanRecord) {
        if (!f.dump || at < f.dump.at) f.dump = { at, ms: r.durationMs };
      } else if (!f.done || at >= f.done.at) f.done = { at, ms: r.durationMs };
    }
  }
  const reason = recordErrorReason(r);
  if (reason !== null) {
    f.firstError = earliest(f.firstError, at, reason);
    if (r.error) f.explicitError = earliest(f.explicitError, at, r.error);
  }
  if (!f.warning && isWarning(r)) f.warning = true;
  const rank = nameRank(r);
  if (rank < f.name.rank || (rank === f.name.rank && rank < NAME_NONE && at < f.name.at)) f.name = { rank, at, value: nameOf(r, rank) };
  if (r.host) f.host = earliest(f.host, at, r.host);
  if (r.spanKind) f.kind = earliest(f.kind, at, r.spanKind);
  if (r.http) f.http = earliest(f.http, at, r.http);
  if (r.grpc) f.grpc = earliest(f.grpc, at, r.grpc);
  if (at < f.pidAt || f.lineCount === 1) {
    f.pidAt = at;
    f.evidence.pid = String(r.attributes['pid'] ?? r.attributes['process.pid'] ?? '');
  }
  if (r.timeNs !== null) addEvidence(f.evidence, r, reason);
}

/** Folds `from` (the same span, read elsewhere) into `into`. */
export function mergeFacts(into: SpanFacts, from: SpanFacts): void {
  into.lineCount += from.lineCount;
  if (into.records && from.records) for (const r of from.records) into.records.push(r);
  into.loggedParent = earlier(into.loggedParent, from.loggedParent);
  if (from.dump && (!into.dump || from.dump.at < into.dump.at)) into.dump = from.dump;
  if (from.done && (!into.done || from.done.at >= into.done.at)) into.done = from.done;
  into.firstError = earlier(into.firstError, from.firstError);
  into.explicitError = earlier(into.explicitError, from.explicitError);
  const n = from.name;
  if (n.rank < into.name.rank || (n.rank === into.name.rank && n.rank < NAME_NONE && n.at < into.name.at)) into.name = n;
  into.warning ||= from.warning;
  into.host = earlier(into.host, from.host);
  into.kind = earlier(into.kind, from.kind);
  into.http = earlier(into.http, from.http);
  into.grpc = earlier(into.grpc, from.grpc);
  if (from.pidAt < into.pidAt) {
    into.pidAt = from.pidAt;
    into.evidence.pid = from.evidence.pid;
  }
  const a = into.evidence;
  const b = from.evidence;
  a.hasDuration ||= b.hasDuration;
  a.logsParent ||= b.logsParent;
  if (b.first && (!a.first || comparePosition(b.first, a.first) < 0)) a.first = b.first;
  if (b.last && (!a.last || comparePosition(b.last, a.last) >= 0)) {
    a.last = b.last;
    a.lastMessage = b.lastMessage;
  }
  for (const line of b.lines) keepEarliest(a.lines, line, EVIDENCE_LINES);
  for (const line of b.errorLines) keepEarliest(a.errorLines, line, ERROR_LINES);
}

/** The interval the span's own lines cover (before any stated duration), or null if untimed. */
export function linesInterval(f: SpanFacts): { start: bigint; end: bigint } | null {
  const { first, last } = f.evidence;
  return first && last ? { start: first.timeNs, end: last.timeNs } : null;
}

function addEvidence(e: SpanEvidence, r: LogRecord, reason: string | null): void {
  const pos: LinePos = { timeNs: r.timeNs!, origin: r.origin, lineNo: r.lineNo };
  if (!e.first || comparePosition(pos, e.first) < 0) e.first = pos;
  if (!e.last || comparePosition(pos, e.last) >= 0) {
    e.last = pos;
    e.lastMessage = r.message;
  }
  const full = e.lines.length >= EVIDENCE_LINES && comparePosition(pos, e.lines[e.lines.length - 1]!) >= 0;
  const errorsFull = reason === null || (e.errorLines.length >= ERROR_LINES && comparePosition(pos, e.errorLines[e.errorLines.length - 1]!) >= 0);
  if (full && errorsFull) return;
  const answer = isAnswerLine(r);
  const text = answer && reason === null ? '' : searchText(r);
  const line: LineFact = { timeNs: pos.timeNs, origin: pos.origin, lineNo: pos.lineNo, text, answer, errorReason: reason };
  if (!full) keepEarliest(e.lines, line, EVIDENCE_LINES);
  if (!errorsFull) keepEarliest(e.errorLines, line, ERROR_LINES);
}

/** Inserts `line` in position order and drops the latest beyond `cap`. */
function keepEarliest(list: LineFact[], line: LineFact, cap: number): void {
  let i = list.length;
  while (i > 0 && comparePosition(list[i - 1]!, line) > 0) i--;
  if (i >= cap) return;
  list.splice(i, 0, line);
  if (list.length > cap) list.pop();
}

/**
 * What "this line names service X" searches: the message, the error and the string fields that
 * could hold a name. Lines repeat their templates, so equal texts are stored once.
 */
function searchText(r: LogRecord): string {
  let text = r.error ? `${r.message}\n${r.error}` : r.message;
  for (const key in r.attributes) {
    if (text.length >= TEXT_CHARS) break;
    const value = r.attributes[key];
    if (typeof value === 'string' && value.length <= FIELD_CHARS && !NOT_A_NAME.test(value)) text += `\n${value}`;
  }
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

/** Time order; within one file, line order breaks ties. */
export function comparePosition(a: LinePos, b: LinePos): number {
  if (a.timeNs !== b.timeNs) return a.timeNs < b.timeNs ? -1 : 1;
  return a.origin === b.origin ? a.lineNo - b.lineNo : 0;
}

function earliest<T>(current: Timed<T> | null, at: bigint, value: T): Timed<T> {
  return current && current.at <= at ? current : { at, value };
}

function earlier<T>(a: Timed<T> | null, b: Timed<T> | null): Timed<T> | null {
  if (!b) return a;
  return a && a.at <= b.at ? a : b;
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
