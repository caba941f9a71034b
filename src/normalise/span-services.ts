// The service a span's earlier lines named, per source, for its lines that name none. winston's
// profiler (startTimer()…done(), `durationMs`) writes through logger.write(), which skips
// defaultMeta: a span's start line says `service`, its end line does not. Falling back to the file
// name there would file one span under two services and split it. This is a guess from outside
// the line, so it ranks after everything the line and its source say, just before the file name.
//
// Bounded: a span's lines sit close together in a file, and a source may hold millions of spans.
// This runs on every line that names a service, so it is two generations of plain Maps rather than
// an exact LRU (a delete and re-insert per line cost ~1 µs): a span noted since the last turnover
// is always remembered, so at least the last HALF spans noted are, and at most 2 × HALF are held.

const HALF = 2048;

export class SpanServices {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();

  /** A line of span `spanId` named `service` (the last line to name one wins). */
  note(spanId: string, service: string): void {
    if (this.current.get(spanId) === service) return;
    this.current.set(spanId, service);
    if (this.current.size >= HALF) {
      this.previous = this.current;
      this.current = new Map();
    }
  }

  /** How many spans are held (never more than 2 × HALF). */
  get held(): number {
    return this.current.size + this.previous.size;
  }

  serviceOf(spanId: string): string | null {
    return this.current.get(spanId) ?? this.previous.get(spanId) ?? null;
  }
}
