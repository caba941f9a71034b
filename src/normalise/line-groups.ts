// Raw lines → records when one record spans several lines:
//   - pieces of one long line cut by a container runtime are joined first (partial-lines.ts);
//   - stack-trace lines printed outside the JSON right after a record are attached to it
//     (continuations.ts, attach-stack.ts) instead of being counted as malformed;
//   - a Go panic that net/http printed (go-panic-line.ts) is a record of its own, with its frames.
// Since a record is complete only once the next line of its origin turns out not to continue it,
// each origin holds back at most one record, across batches, until its next record or the end of
// the input: so what a record gets never depends on where a read happened to end.
//
// "Origin" is the source's origin plus its labels object: one file, or one Loki stream.
// Lines whose numbers jump (the show prefilter dropped the ones between) break runs and stacks:
// a piece or stack line can only join what was directly before it.
//
// All state is in the LineGroups object; this file keeps none.
import type { LogRecord, RawLine } from '../types.js';
import { settleStack, startStack, type AttachedStack } from './attach-stack.js';
import { continuationFamily, type TraceFamily } from './continuations.js';
import { goPanicRecord } from './go-panic-line.js';
import { normaliseLine, type NormaliseOptions } from './normalise.js';
import { endRuns, feedRuns, isPartialPiece, startRun, type PieceRun } from './partial-lines.js';
import { SpanServices } from './span-services.js';
import { wrappedText } from './unwrap.js';

/** Where grouped lines go: the caller's counters and record sink. */
export interface GroupOutput {
  /** Final records from `lines` raw lines. */
  records(records: LogRecord[], lines: number): void;
  /** Raw lines that are malformed for good. */
  malformed(lines: number): void;
}

interface OriginState {
  lastLineNo: number;
  runs: PieceRun[] | null;
  /** The last line's records, not handed on yet. */
  held: LogRecord[] | null;
  heldLines: number;
  /** The record stack lines attach to (the held one's last). */
  target: LogRecord | null;
  stack: AttachedStack | null;
  family: TraceFamily | null;
  /** Blank lines inside a stack, attached only if the stack goes on. */
  blanks: number;
  /** Which service each span's lines named, for its lines that name none. */
  spanServices: SpanServices;
}

export interface LineGroups {
  byOrigin: Map<string, Map<object | undefined, OriginState>>;
  last: OriginState | null;
  lastOrigin: string;
  lastLabels: object | undefined;
}

export function newLineGroups(): LineGroups {
  return { byOrigin: new Map(), last: null, lastOrigin: '', lastLabels: undefined };
}

/** Feeds one raw line; records, malformed lines and late stack lines come out through `out`. */
export function feedLine(g: LineGroups, raw: RawLine, options: NormaliseOptions, out: GroupOutput): void {
  const st = stateOf(g, raw);
  if (raw.lineNo > 0) {
    if (st.lastLineNo > 0 && raw.lineNo !== st.lastLineNo + 1) {
      if (st.runs !== null) closeRuns(st, options, out);
      breakChain(st, out);
    }
    st.lastLineNo = raw.lineNo;
  }
  if (st.runs === null) {
    if (isPartialPiece(raw.text)) {
      const run = startRun(raw);
      if (run !== null) {
        st.runs = [run];
        return;
      }
    }
    parseLine(st, raw, 1, options, out);
    return;
  }
  const lines = feedRuns(st.runs, raw);
  if (st.runs.length === 0) st.runs = null;
  for (const j of lines) parseLine(st, j.raw, j.lines, options, out);
}

/** End of input: open runs are parsed as far as they got, then everything is handed on. */
export function endInput(g: LineGroups, options: NormaliseOptions, out: GroupOutput): void {
  for (const byLabels of g.byOrigin.values()) {
    for (const st of byLabels.values()) {
      if (st.runs !== null) closeRuns(st, options, out);
      breakChain(st, out);
      handOn(st, out);
    }
  }
  g.byOrigin.clear();
  g.last = null;
}

function stateOf(g: LineGroups, raw: RawLine): OriginState {
  if (g.last !== null && raw.origin === g.lastOrigin && raw.labels === g.lastLabels) return g.last;
  let byLabels = g.byOrigin.get(raw.origin);
  if (byLabels === undefined) g.byOrigin.set(raw.origin, (byLabels = new Map()));
  let st = byLabels.get(raw.labels);
  if (st === undefined) {
    st = { lastLineNo: 0, runs: null, held: null, heldLines: 0, target: null, stack: null, family: null, blanks: 0, spanServices: new SpanServices() };
    byLabels.set(raw.labels, st);
  }
  g.last = st;
  g.lastOrigin = raw.origin;
  g.lastLabels = raw.labels;
  return st;
}

function parseLine(st: OriginState, raw: RawLine, lines: number, options: NormaliseOptions, out: GroupOutput): void {
  const records = normaliseLine(raw, options, st.spanServices);
  if (records !== null) {
    breakChain(st, out);
    handOn(st, out);
    st.held = records;
    st.heldLines = lines;
    st.target = records.length > 0 ? records[records.length - 1]! : null;
    return;
  }
  const text = wrappedText(raw.text);
  if (st.target !== null && continues(st, text, lines, out)) return;
  // The record on the line right before (the prefilter may have dropped lines in between).
  const held = st.held?.[st.held.length - 1] ?? null;
  const previous = held !== null && (raw.lineNo === 0 || held.lineNo + st.heldLines === raw.lineNo) ? held : null;
  breakChain(st, out);
  const panic = goPanicRecord(raw, text, previous);
  if (panic !== null) {
    // A record of its own, that the goroutine's frames on the next lines attach to.
    handOn(st, out);
    st.held = [panic];
    st.heldLines = lines;
    st.target = panic;
    return;
  }
  out.malformed(lines);
}

/** Attaches a non-JSON line to the target record when it continues a stack trace. */
function continues(st: OriginState, text: string, lines: number, out: GroupOutput): boolean {
  if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  if (text.trim() === '') {
    if (st.family === null) return false;
    st.blanks += lines;
    return true;
  }
  const family = continuationFamily(text, st.family);
  if (family === null) return false;
  const stack = (st.stack ??= startStack(st.target!));
  for (let i = 0; i < st.blanks; i++) stack.lines.push('');
  stack.lines.push(text);
  const added = lines + st.blanks;
  st.blanks = 0;
  st.family = family;
  // Written into the record when the stack ends or the record is handed on.
  st.heldLines += added;
  return true;
}

/** The line after the target is not a stack line: what was attached is final. */
function breakChain(st: OriginState, out: GroupOutput): void {
  flushBlanks(st, out);
  if (st.stack !== null) settleStack(st.stack);
  st.stack = null;
  st.family = null;
  st.target = null;
}

/** Hands the held record on; callers break the chain first, so its stack is already settled. */
function handOn(st: OriginState, out: GroupOutput): void {
  if (st.held === null) return;
  out.records(st.held, st.heldLines);
  st.held = null;
}

function flushBlanks(st: OriginState, out: GroupOutput): void {
  if (st.blanks === 0) return;
  out.malformed(st.blanks);
  st.blanks = 0;
}

function closeRuns(st: OriginState, options: NormaliseOptions, out: GroupOutput): void {
  const lines = endRuns(st.runs!);
  st.runs = null;
  for (const j of lines) parseLine(st, j.raw, j.lines, options, out);
}
