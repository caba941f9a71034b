import type { LogRecord, Span, Structure, Trace, UnattachedError } from '../types.js';
import { markErrorOrigin } from './error-origin.js';
import { markSilentFailures } from './silent-spans.js';
import { inferParents } from './infer-parents.js';
import { buildTree } from './tree.js';
import { linesInterval, mergeFacts, type SpanFacts } from './span-facts.js';
import { addToTrace, newTraceFacts, type TraceFacts } from './trace-facts.js';
import { byTime, maxBig, minBig, nsToMs, spanFromFacts } from './spans.js';

/**
 * The records of one trace, folded and assembled, and the errors of its window that no span
 * could be given (collect/loose-errors.ts). The records are kept on the trace and its spans
 * unless `keepRecords` is false (an output that draws no lines): then only their facts are.
 */
export function assembleTrace(traceId: string, records: readonly LogRecord[], unattached: readonly UnattachedError[] = [], keepRecords = true): Trace {
  const facts = newTraceFacts(traceId, keepRecords);
  for (const r of records) addToTrace(facts, r);
  const trace = assembleFacts(facts);
  if (unattached.length > 0) trace.unattachedErrors = [...unattached].sort((a, b) => byTime(a.record, b.record));
  return trace;
}

/**
 * Turns a trace's folded facts into spans and a tree. Explicit parent ids come first; where
 * logs carry only span ids, or only a trace id, structure is inferred from services and time and
 * every inferred edge is marked. The result is plain data: nothing here prints.
 */
export function assembleFacts(trace: TraceFacts): Trace {
  // Visits first: those that join a span of their own service must be in it before it is built.
  // (This folds them into the facts, so a trace's facts are assembled once.)
  const visits = visitSpans(trace);
  const logged = spansFromIds(trace.spans);
  const spans: Span[] = [...logged, ...visits];
  const loggedEdges = spans.filter((s) => s.parentSpanId !== null).length;
  const inferred = inferParents(spans);
  const tree = buildTree(spans);
  const silent = markSilentFailures(tree.spans, new Map(tree.spans.map((s) => [s.spanId, s])));
  markErrorOrigin(tree.spans);

  const structure = structureOf(logged.length, visits.length, loggedEdges, inferred);
  const warnings = [...structureWarnings(structure, inferred, visits.length), ...tree.warnings];
  if (silent > 0) warnings.push(`${silent} span${plural(silent)} stopped logging mid-request while the caller failed: counted as failed`);

  let startNs = tree.spans[0]?.startNs ?? 0n;
  let endNs = startNs;
  for (const s of tree.spans) {
    startNs = minBig(startNs, s.startNs);
    endNs = maxBig(endNs, s.endNs);
  }
  const services: string[] = [];
  for (const s of tree.spans) if (!s.placeholder && !services.includes(s.service)) services.push(s.service);

  return {
    traceId: trace.traceId,
    startNs,
    endNs,
    durationMs: nsToMs(endNs - startNs),
    spans: tree.spans,
    roots: tree.roots,
    services,
    errorCount: tree.spans.filter((s) => s.error).length,
    structure,
    warnings,
    records: trace.records ? [...trace.records].sort(byTime) : [],
    recordCount: trace.recordCount,
  };
}

/**
 * Spans of logged span ids. A span id logged by two services is the Zipkin/B3 "shared span"
 * (client and server halves): each service gets its own span, the later half a child of the
 * earlier, so neither side's lines are lost.
 */
function spansFromIds(facts: readonly SpanFacts[]): Span[] {
  const byId = new Map<string, SpanFacts[]>();
  for (const f of facts) {
    const list = byId.get(f.spanId);
    if (list) list.push(f);
    else byId.set(f.spanId, [f]);
  }
  const spans: Span[] = [];
  for (const [spanId, list] of byId) {
    // The service that logged first owns the id.
    const owner = list.reduce((a, b) => (startOf(b) < startOf(a) ? b : a));
    const parent = list.reduce((a, b) => (b.loggedParent !== null && (a.loggedParent === null || b.loggedParentAt < a.loggedParentAt) ? b : a));
    spans.push(spanFromFacts(owner, spanId, parent.loggedParent));
    for (const half of list) if (half !== owner) spans.push(spanFromFacts(half, `${spanId}@${half.service}`, spanId));
  }
  return spans;
}

/**
 * Runs of lines without a span id. From a service that logs span ids elsewhere in the trace (a
 * middleware that misses the context, say), a run joins that service's span covering its time;
 * the others are units of work of their own, nested by parent inference.
 */
function visitSpans(trace: TraceFacts): Span[] {
  if (!trace.visits) return [];
  const spans: Span[] = [];
  for (const [service, visits] of trace.visits) {
    const own = trace.spans.filter((f) => f.service === service);
    let n = 0;
    for (const { facts } of visits) {
      const home = own.length > 0 ? innermostCovering(own, facts) : undefined;
      if (home) mergeFacts(home, facts);
      else spans.push(spanFromFacts(facts, `${service}#${++n}`, null));
    }
  }
  return spans;
}

function innermostCovering(own: readonly SpanFacts[], visit: SpanFacts): SpanFacts | undefined {
  const v = linesInterval(visit);
  if (!v) return undefined;
  let best: SpanFacts | undefined;
  let bestLength = 0n;
  for (const f of own) {
    const i = linesInterval(f);
    if (!i || i.start > v.start || v.end > i.end) continue;
    if (!best || i.end - i.start < bestLength) {
      best = f;
      bestLength = i.end - i.start;
    }
  }
  return best;
}

function startOf(f: SpanFacts): bigint {
  return f.firstNs;
}

function structureOf(spanIdDrafts: number, visits: number, loggedEdges: number, inferred: number): Structure {
  if (spanIdDrafts === 0 && visits > 0) return 'trace-id-only';
  if (visits > 0) return 'mixed';
  if (inferred === 0) return 'parent-ids';
  return loggedEdges === 0 ? 'span-ids' : 'mixed';
}

function structureWarnings(structure: Structure, inferred: number, visits: number): string[] {
  switch (structure) {
    case 'parent-ids':
      return [];
    case 'span-ids':
      return [`logs carry no parent span ids: ${inferred} parent link${plural(inferred)} inferred from timing and services (marked ~)`];
    case 'trace-id-only':
      return [
        `logs carry only a trace id: ${visits} span${plural(visits)} built from service visits, ${inferred} link${plural(inferred)} inferred from timing (marked ~)`,
      ];
    case 'mixed':
      return [`${inferred} parent link${plural(inferred)} inferred from timing and services (marked ~)`];
  }
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
