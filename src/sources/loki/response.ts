/** One log entry from a query_range answer, streams already flattened. */
export interface LokiEntry {
  timeNs: bigint;
  line: string;
  /** Stream labels, then structured metadata, then parsed labels (Loki 3 categorize-labels). Shared per stream: do not mutate. */
  labels: Record<string, string>;
  /** Canonical text of `labels`, for dedupe and for ordering entries that share a timestamp. */
  labelsKey: string;
}

export type Direction = 'forward' | 'backward';

/** Why a 200 body could not be used; the caller words it for the user. */
export class UnexpectedBodyError extends Error {}

/**
 * Parses a query_range body into entries in the query's direction, merged across streams by time:
 * Loki orders streams by their labels, not by time, so a page must be re-merged before use.
 * Accepts both value shapes, `[ts, line]` (Loki 2) and `[ts, line, {structuredMetadata, parsed}]` (Loki 3).
 */
export function parseStreamsBody(body: string, direction: Direction): LokiEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new UnexpectedBodyError('not JSON');
  }
  const data = (doc as { status?: unknown; data?: { resultType?: unknown; result?: unknown } } | null)?.data;
  if ((doc as { status?: unknown }).status !== 'success' || !data || !Array.isArray(data.result)) {
    throw new UnexpectedBodyError('not a query_range answer');
  }
  if (data.resultType !== 'streams') {
    throw new UnexpectedBodyError(`resultType ${String(data.resultType)} (a metric query?); give a log query`);
  }
  const entries: LokiEntry[] = [];
  for (const stream of data.result as Array<{ stream?: Record<string, string>; values?: unknown[] }>) {
    const labels = stream.stream ?? {};
    const labelsKey = canonicalLabels(labels);
    for (const value of stream.values ?? []) {
      const [ts, line, meta] = value as [string, string, EntryMetadata | undefined];
      if (typeof ts !== 'string' || typeof line !== 'string') throw new UnexpectedBodyError('an entry is not [ts, line]');
      entries.push(lokiEntry(ts, line, labels, labelsKey, meta));
    }
  }
  const sign = direction === 'forward' ? 1 : -1;
  // Equal timestamps: by labels (reversed going backward, so backward is forward mirrored). Stable,
  // so entries of one stream sharing a timestamp keep Loki's order.
  entries.sort((a, b) => (a.timeNs === b.timeNs ? sign * compareText(a.labelsKey, b.labelsKey) : a.timeNs < b.timeNs ? -sign : sign));
  return entries;
}

interface EntryMetadata {
  structuredMetadata?: LabelSet;
  parsed?: LabelSet;
}

/** Loki 3 sends label sets as objects; some proxies re-encode them as `[{name, value}]`. */
type LabelSet = Record<string, string> | Array<{ name: string; value: string }>;

/**
 * One entry with its stream's labels, plus Loki 3's per-entry metadata when it has any (then the
 * entry gets its own label set and key, since dedupe must tell such entries apart).
 */
export function lokiEntry(ts: string, line: string, labels: Record<string, string>, labelsKey: string, meta: unknown): LokiEntry {
  const extra = metadataLabels(meta);
  if (!extra) return { timeNs: BigInt(ts), line, labels, labelsKey };
  const merged = { ...labels, ...extra };
  return { timeNs: BigInt(ts), line, labels: merged, labelsKey: canonicalLabels(merged) };
}

/** Loki 3's per-entry structured metadata and parsed labels, as labels (query_range and tail alike). */
function metadataLabels(meta: unknown): Record<string, string> | null {
  if (!meta || typeof meta !== 'object') return null;
  const { structuredMetadata, parsed } = meta as EntryMetadata;
  const out: Record<string, string> = {};
  let any = false;
  for (const set of [structuredMetadata, parsed]) {
    if (!set) continue;
    const pairs = Array.isArray(set) ? set.map((p) => [p.name, p.value] as const) : Object.entries(set);
    for (const [name, value] of pairs) {
      out[name] = String(value);
      any = true;
    }
  }
  return any ? out : null;
}

/** `{a="1", b="2"}` with keys sorted, the way Loki prints a stream. */
export function canonicalLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ')}}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
