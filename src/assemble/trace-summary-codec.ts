import { addSpan, Interner, newTrace, type SpanAcc, type SummariesState, type TraceAcc } from './trace-summary.js';

/**
 * Summaries' state packed for a trip between threads: every string joined into one, every number
 * in one Float64Array. Structured-cloning the object graph costs about as much as building it
 * (a second per ~50 000 traces); one string and one transferable buffer cost next to nothing.
 */
export interface PackedState {
  baseNs: bigint | null;
  strings: string;
  numbers: Float64Array;
}

// Strings never hold NUL: the normaliser rejects such lines, and names are display text anyway.
const SEP = '\u0000';
const KIND_HEAD = 0;
const KIND_OTHER = 1;
const KIND_VISIT = 2;
const NUMBERS_PER_ACC = 11;

export function packState(state: SummariesState): PackedState {
  const strings: string[] = [];
  const numbers: number[] = [];
  const put = (acc: SpanAcc, kind: number) => {
    strings.push(clean(acc.spanId), clean(acc.service), acc.parent === null ? '' : clean(acc.parent), clean(acc.name));
    const errorLines = acc.errorLines ?? [];
    for (const line of errorLines) strings.push(clean(line.text));
    numbers.push(errorLines.length, ...errorLines.map((l) => l.at));
    numbers.push(
      kind,
      acc.parent === null ? 0 : 1,
      acc.first,
      acc.last,
      acc.dumpAt,
      acc.dumpMs,
      acc.doneAt,
      acc.doneMs,
      acc.nameAt,
      acc.nameRank,
      (acc.error ? 1 : 0) | (acc.closed ? 2 : 0),
    );
  };
  for (const trace of state.traces.values()) {
    strings.push(clean(trace.traceId));
    let count = 0;
    for (const head of trace.spans) for (let s: SpanAcc | null = head; s; s = s.other) count++;
    if (trace.visits) for (const list of trace.visits.values()) count += list.length;
    numbers.push(trace.records, count);
    for (const head of trace.spans) {
      put(head, KIND_HEAD);
      for (let s = head.other; s; s = s.other) put(s, KIND_OTHER);
    }
    if (trace.visits) for (const list of trace.visits.values()) for (const v of list) put(v, KIND_VISIT);
  }
  return { baseNs: state.baseNs, strings: strings.join(SEP), numbers: Float64Array.from(numbers) };
}

export function unpackState(packed: PackedState): SummariesState {
  const strings = packed.strings === '' ? [] : packed.strings.split(SEP);
  const n = packed.numbers;
  const traces = new Map<string, TraceAcc>();
  const intern = new Interner();
  let si = 0;
  let ni = 0;
  while (ni < n.length) {
    const trace: TraceAcc = newTrace(strings[si++]!);
    trace.records = n[ni++]!;
    const count = n[ni++]!;
    let last: SpanAcc | null = null;
    for (let k = 0; k < count; k++) {
      const spanId = strings[si++]!;
      const service = intern.get(strings[si++]!);
      const parent = strings[si++]!;
      const name = intern.get(strings[si++]!);
      const lineCount = n[ni++]!;
      const errorLines = lineCount > 0 ? ([] as Array<{ at: number; text: string }>) : null;
      for (let l = 0; l < lineCount; l++) errorLines!.push({ at: n[ni++]!, text: strings[si++]! });
      const kind = n[ni]!;
      const flags = n[ni + 10]!;
      const acc: SpanAcc = {
        spanId,
        service,
        parent: n[ni + 1] ? parent : null,
        first: n[ni + 2]!,
        last: n[ni + 3]!,
        dumpAt: n[ni + 4]!,
        dumpMs: n[ni + 5]!,
        doneAt: n[ni + 6]!,
        doneMs: n[ni + 7]!,
        nameAt: n[ni + 8]!,
        nameRank: n[ni + 9]!,
        name,
        error: (flags & 1) !== 0,
        closed: (flags & 2) !== 0,
        other: null,
        errorLines,
      };
      ni += NUMBERS_PER_ACC;
      if (kind === KIND_HEAD) addSpan(trace, acc);
      else if (kind === KIND_OTHER) last!.other = acc;
      else {
        trace.visits ??= new Map();
        let list = trace.visits.get(service);
        if (!list) trace.visits.set(service, (list = []));
        list.push(acc);
      }
      if (kind !== KIND_VISIT) last = acc;
    }
    traces.set(trace.traceId, trace);
  }
  return { baseNs: packed.baseNs, traces };
}

function clean(text: string): string {
  return text.includes(SEP) ? text.replaceAll(SEP, '\ufffd') : text;
}
