// The service a span's earlier lines named, per source, for its lines that name none. winston's
// profiler (startTimer()…done(), `durationMs`) writes through logger.write(), which skips
// defaultMeta: a span's start line says `service`, its end line does not. Falling back to the file
// name there would file one span under two services and split it. This is a guess from outside
// the line, so it ranks after everything the line and its source say, just before the file name.
// Bounded: a span's lines sit close together in a file, and a source may hold millions of spans.

const LIMIT = 4096;

export class SpanServices {
  private readonly byId = new Map<string, string>();
  private lastId = '';

  /** A line of span `spanId` named `service` (the last line to name one wins). */
  note(spanId: string, service: string): void {
    // Consecutive lines of one span are the common case: one comparison, no Map work.
    if (spanId === this.lastId && this.byId.get(spanId) === service) return;
    this.lastId = spanId;
    this.byId.delete(spanId); // re-inserted last, so the oldest span is evicted first
    this.byId.set(spanId, service);
    if (this.byId.size > LIMIT) this.byId.delete(this.byId.keys().next().value!);
  }

  serviceOf(spanId: string): string | null {
    return this.byId.get(spanId) ?? null;
  }
}
