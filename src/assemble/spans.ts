import type { LogRecord, Span, SpanKind } from '../types.js';
import { isWarning, spanError } from './span-errors.js';

/** Records grouped into one unit of work, before the tree is known. */
export interface SpanDraft {
  spanId: string;
  /** The logged parent id, when any record carried one. */
  loggedParent: string | null;
  service: string;
  records: LogRecord[];
}

const UNKNOWN_SERVICE = 'unknown';

/**
 * Groups records that carry a span id. A span id logged by two services is the Zipkin/B3
 * "shared span" (client and server halves): each service gets its own span, the later half a
 * child of the earlier, so neither side's lines are lost.
 */
export function draftsFromSpanIds(records: readonly LogRecord[]): SpanDraft[] {
  const bySpan = new Map<string, LogRecord[]>();
  for (const r of records) {
    if (!r.spanId) continue;
    let list = bySpan.get(r.spanId);
    if (!list) bySpan.set(r.spanId, (list = []));
    list.push(r);
  }
  const drafts: SpanDraft[] = [];
  for (const [spanId, list] of bySpan) {
    const services = [...new Set(list.map((r) => r.service ?? UNKNOWN_SERVICE))];
    const loggedParent = list.find((r) => r.parentSpanId)?.parentSpanId ?? null;
    if (services.length === 1) {
      drafts.push({ spanId, loggedParent, service: services[0]!, records: list });
      continue;
    }
    // Shared span: the service that logged first owns the id.
    const first = list.reduce((a, b) => (timeOf(b) < timeOf(a) ? b : a)).service ?? UNKNOWN_SERVICE;
    drafts.push({ spanId, loggedParent, service: first, records: list.filter((r) => (r.service ?? UNKNOWN_SERVICE) === first) });
    for (const service of services) {
      if (service === first) continue;
      const own = list.filter((r) => (r.service ?? UNKNOWN_SERVICE) === service);
      drafts.push({ spanId: `${spanId}@${service}`, loggedParent: spanId, service, records: own });
    }
  }
  return drafts;
}

/**
 * Hand-rolled `X-Trace-ID` logs carry no span ids: every service visit becomes a segment. A
 * service's lines are split into visits at lines that report a duration ("request completed
 * in 120ms" closes a visit); nesting is left to parent inference.
 */
export function draftsFromServiceVisits(records: readonly LogRecord[]): SpanDraft[] {
  const byService = new Map<string, LogRecord[]>();
  for (const r of records) {
    const service = r.service ?? UNKNOWN_SERVICE;
    let list = byService.get(service);
    if (!list) byService.set(service, (list = []));
    list.push(r);
  }
  const drafts: SpanDraft[] = [];
  for (const [service, list] of byService) {
    list.sort(byTime);
    let visit: LogRecord[] = [];
    let n = 0;
    const close = () => {
      if (visit.length === 0) return;
      n++;
      drafts.push({ spanId: `${service}#${n}`, loggedParent: null, service, records: visit });
      visit = [];
    };
    for (const r of list) {
      visit.push(r);
      if (r.durationMs !== null) close();
    }
    close();
  }
  return drafts;
}

/** Turns a draft into a span with its interval, name, error and kind. */
export function spanFromDraft(draft: SpanDraft): Span {
  const records = [...draft.records].sort(byTime);
  const timed = records.filter((r) => r.timeNs !== null);
  let startNs = timed.length ? timed[0]!.timeNs! : 0n;
  let endNs = timed.length ? timed[timed.length - 1]!.timeNs! : 0n;

  // An explicit duration wins over first-to-last timestamps.
  const dump = records.find((r) => r.isSpanRecord && r.durationMs !== null && r.timeNs !== null);
  const completion = [...timed].reverse().find((r) => r.durationMs !== null && !r.isSpanRecord);
  if (dump) {
    startNs = dump.timeNs!;
    endNs = maxBig(startNs + msToNs(dump.durationMs!), endNs);
  } else if (completion) {
    const reportedStart = completion.timeNs! - msToNs(completion.durationMs!);
    startNs = minBig(startNs, reportedStart);
    endNs = maxBig(endNs, completion.timeNs!);
  }

  const err = spanError(records);
  return {
    spanId: draft.spanId,
    parentSpanId: draft.loggedParent,
    service: draft.service,
    name: spanName(records),
    startNs,
    endNs,
    durationMs: nsToMs(endNs - startNs),
    records,
    error: err.error,
    errorMessage: err.message,
    inferredParent: false,
    inferredBy: null,
    clockOffsetMs: 0,
    placeholder: false,
    warning: !err.error && records.some(isWarning),
    host: records.find((r) => r.host)?.host ?? null,
    kind: spanKind(records),
    http: records.find((r) => r.http)?.http,
    grpc: records.find((r) => r.grpc)?.grpc,
    children: [],
    depth: 0,
    errorOrigin: false,
    skewShiftMs: 0,
    outlivesParent: false,
  };
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

/** span_name/operation first, then the RPC or HTTP call, then the first message. */
function spanName(records: readonly LogRecord[]): string {
  const named = records.find((r) => r.spanName)?.spanName;
  if (named) return named;
  const grpc = records.find((r) => r.grpc?.method)?.grpc;
  if (grpc?.method) return grpc.service ? `${grpc.service}/${grpc.method}` : grpc.method;
  const http = records.find((r) => r.http?.method && r.http.route)?.http;
  if (http) return `${http.method} ${http.route}`;
  const route = records.find((r) => r.http?.route)?.http?.route;
  if (route) return route;
  return records.find((r) => r.message)?.message ?? '(no message)';
}

function spanKind(records: readonly LogRecord[]): SpanKind | null {
  return records.find((r) => r.spanKind)?.spanKind ?? null;
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
