import { canonicalLabels, lokiEntry, type LokiEntry } from './response.js';

/** One websocket message from Loki's tail endpoint. */
export interface TailFrame {
  entries: LokiEntry[];
  /** Entries Loki had to drop because the client read too slowly. */
  dropped: number;
}

/**
 * Parses `{"streams":[{"stream":{…},"values":[["<ns>","<line>"(, {metadata})]]}], "dropped_entries":[…]}`.
 * Loki sends one stream object per entry and may repeat a label set; label key order is not
 * stable, which is why entries carry the canonical `labelsKey`. Loki 3 with categorize-labels adds
 * structured metadata and parsed labels as a third value; they join the labels (a `trace_id` in
 * structured metadata counts). A message that is not a frame yields nothing rather than failing
 * the whole tail.
 */
export function parseTailFrame(text: string): TailFrame {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { entries: [], dropped: 0 };
  }
  if (!doc || typeof doc !== 'object') return { entries: [], dropped: 0 };
  const { streams, dropped_entries: dropped } = doc as { streams?: unknown; dropped_entries?: unknown };
  const entries: LokiEntry[] = [];
  for (const stream of Array.isArray(streams) ? streams : []) {
    const s = stream as { stream?: Record<string, string>; labels?: string; values?: unknown; entries?: unknown };
    const labels = s.stream ?? {};
    const labelsKey = canonicalLabels(labels);
    for (const value of Array.isArray(s.values) ? s.values : []) {
      const [ts, line, meta] = value as [unknown, unknown, unknown];
      if (typeof ts !== 'string' || typeof line !== 'string' || !/^\d+$/.test(ts)) continue;
      entries.push(lokiEntry(ts, line, labels, labelsKey, meta));
    }
  }
  return { entries, dropped: Array.isArray(dropped) ? dropped.length : 0 };
}
