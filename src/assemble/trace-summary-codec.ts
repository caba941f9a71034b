import { PackReader, PackWriter, type Packed } from './pack-buffer.js';
import { addSpan, newTrace, type SpanAcc, type SummariesState, type TraceAcc } from './trace-summary.js';

/** Summaries' state packed for a trip between threads (pack-buffer.ts). */
export interface PackedState extends Packed {
  baseNs: bigint | null;
}

const HAS_PARENT = 1;
const ERROR = 2;
const CLOSED = 4;

export function packState(state: SummariesState): PackedState {
  // About 16 numbers per span and three spans per trace: one growth step at most, usually.
  const w = new PackWriter(state.traces.size * 48);
  for (const trace of state.traces.values()) {
    w.str(trace.traceId);
    w.num(trace.records);
    w.num(trace.spans.length);
    for (const head of trace.spans) {
      let chain = 0;
      for (let s: SpanAcc | null = head; s; s = s.other) chain++;
      w.num(chain);
      for (let s: SpanAcc | null = head; s; s = s.other) putAcc(w, s);
    }
    const visits = trace.visits;
    w.num(visits ? visits.size : 0);
    if (visits) {
      for (const [service, list] of visits) {
        w.common(service);
        w.num(list.length);
        for (const v of list) putAcc(w, v);
      }
    }
  }
  return { baseNs: state.baseNs, ...w.finish() };
}

export function unpackState(packed: PackedState): SummariesState {
  const r = new PackReader(packed);
  const traces = new Map<string, TraceAcc>();
  while (!r.done) {
    const trace = newTrace(r.str());
    trace.records = r.num();
    const heads = r.num();
    for (let h = 0; h < heads; h++) {
      const chain = r.num();
      const head = getAcc(r);
      let last = head;
      for (let c = 1; c < chain; c++) last = last.other = getAcc(r);
      addSpan(trace, head);
    }
    const services = r.num();
    if (services > 0) {
      trace.visits = new Map();
      for (let v = 0; v < services; v++) {
        const service = r.common();
        const count = r.num();
        const list: SpanAcc[] = new Array(count);
        for (let k = 0; k < count; k++) list[k] = getAcc(r);
        trace.visits.set(service, list);
      }
    }
    traces.set(trace.traceId, trace);
  }
  return { baseNs: packed.baseNs, traces };
}

function putAcc(w: PackWriter, acc: SpanAcc): void {
  w.str(acc.spanId);
  w.common(acc.service);
  w.num((acc.parent !== null ? HAS_PARENT : 0) | (acc.error ? ERROR : 0) | (acc.closed ? CLOSED : 0));
  if (acc.parent !== null) w.str(acc.parent);
  w.num(acc.first);
  w.num(acc.last);
  w.num(acc.dumpAt);
  w.num(acc.dumpMs);
  w.num(acc.doneAt);
  w.num(acc.doneMs);
  w.num(acc.nameRank);
  w.num(acc.nameAt);
  w.common(acc.name);
  const lines = acc.errorLines;
  w.num(lines === null ? -1 : lines.length);
  if (lines) {
    for (const line of lines) {
      w.num(line.at);
      w.str(line.text);
    }
  }
}

function getAcc(r: PackReader): SpanAcc {
  const spanId = r.str();
  const service = r.common();
  const flags = r.num();
  const parent = flags & HAS_PARENT ? r.str() : null;
  const acc: SpanAcc = {
    spanId,
    service,
    parent,
    first: r.num(),
    last: r.num(),
    dumpAt: r.num(),
    dumpMs: r.num(),
    doneAt: r.num(),
    doneMs: r.num(),
    error: (flags & ERROR) !== 0,
    nameRank: r.num(),
    nameAt: r.num(),
    name: r.common(),
    closed: (flags & CLOSED) !== 0,
    other: null,
    errorLines: null,
  };
  const count = r.num();
  if (count >= 0) {
    const lines: Array<{ at: number; text: string }> = [];
    for (let l = 0; l < count; l++) lines.push({ at: r.num(), text: r.str() });
    acc.errorLines = lines;
  }
  return acc;
}
