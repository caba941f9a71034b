import type { LogRecord, Span, Structure, Trace } from '../types.js';
import { markErrorOrigin } from './error-origin.js';
import { markSilentFailures } from './silent-spans.js';
import { inferParents } from './infer-parents.js';
import { buildTree } from './tree.js';
import {
  byTime,
  draftsFromServiceVisits,
  draftsFromSpanIds,
  maxBig,
  minBig,
  nsToMs,
  spanFromDraft,
  type SpanDraft,
} from './spans.js';

/**
 * Turns the records of one trace into spans and a tree. Explicit parent ids come first; where
 * logs carry only span ids, or only a trace id, structure is inferred from services and time and
 * every inferred edge is marked. The result is plain data: nothing here prints.
 */
export function assembleTrace(traceId: string, input: readonly LogRecord[]): Trace {
  const records = [...input].sort(byTime);
  const drafts = draftsFromSpanIds(records);
  const spanless = attachToOwnSpans(records.filter((r) => !r.spanId), drafts);
  const visits = draftsFromServiceVisits(spanless);

  const spans: Span[] = [...drafts, ...visits].map(spanFromDraft);
  const loggedEdges = spans.filter((s) => s.parentSpanId !== null).length;
  const inferred = inferParents(spans);
  const tree = buildTree(spans);
  const silent = markSilentFailures(tree.spans, new Map(tree.spans.map((s) => [s.spanId, s])));
  markErrorOrigin(tree.spans);

  const structure = structureOf(drafts.length, visits.length, loggedEdges, inferred);
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
    traceId,
    startNs,
    endNs,
    durationMs: nsToMs(endNs - startNs),
    spans: tree.spans,
    roots: tree.roots,
    services,
    errorCount: tree.spans.filter((s) => s.error).length,
    structure,
    warnings,
    records,
  };
}

/**
 * A line without a span id from a service that does log span ids elsewhere in the trace (a
 * middleware that misses the context, say) joins that service's span covering its time.
 * Returns the lines that found no such span.
 */
function attachToOwnSpans(spanless: readonly LogRecord[], drafts: SpanDraft[]): LogRecord[] {
  if (drafts.length === 0) return [...spanless];
  const rest: LogRecord[] = [];
  const intervals = drafts.map((d) => {
    const times = d.records.map((r) => r.timeNs).filter((t): t is bigint => t !== null);
    return { draft: d, start: times.reduce(minBig, times[0] ?? 0n), end: times.reduce(maxBig, times[0] ?? 0n) };
  });
  for (const r of spanless) {
    const t = r.timeNs;
    const home =
      t === null
        ? undefined
        : intervals
            .filter((i) => i.draft.service === (r.service ?? 'unknown') && i.start <= t && t <= i.end)
            .sort((a, b) => (a.end - a.start < b.end - b.start ? -1 : 1))[0];
    if (home) home.draft.records.push(r);
    else rest.push(r);
  }
  return rest;
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
