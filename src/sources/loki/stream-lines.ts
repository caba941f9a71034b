import type { RawLine } from '../../types.js';
import type { LokiEntry } from './response.js';

/** Streams numbered at once; past this (a query whose every line is its own stream) numbering starts over. */
const MAX_STREAMS = 10_000;

/**
 * Turns Loki entries into raw lines the way a file's lines are: the origin names the stream
 * (`loki {service_name="api"}`) and lineNo counts the stream's entries in the order they came.
 * Lines that share a millisecond then keep their stream's order, as a file's keep their line
 * order, so a trace is assembled from Loki exactly as from the same lines in one file per stream.
 */
export class StreamLines {
  private readonly counts = new Map<string, number>();

  line(entry: LokiEntry): RawLine {
    if (this.counts.size >= MAX_STREAMS && !this.counts.has(entry.labelsKey)) this.counts.clear();
    const lineNo = (this.counts.get(entry.labelsKey) ?? 0) + 1;
    this.counts.set(entry.labelsKey, lineNo);
    return { text: entry.line, origin: `loki ${entry.labelsKey}`, lineNo, labels: entry.labels, timeNs: entry.timeNs };
  }
}
