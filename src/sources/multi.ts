import type { RawLine } from '../types.js';
import type { LogSource, ReadOptions } from './source.js';

/** Several sources read one after the other (`show <id> a.log - b.log`). */
export class MultiSource implements LogSource {
  readonly description: string;

  constructor(private readonly sources: readonly LogSource[]) {
    this.description = sources.map((s) => s.description).join(', ');
  }

  async *read(options: ReadOptions): AsyncIterable<RawLine[]> {
    for (const source of this.sources) {
      yield* source.read(options);
      if (options.signal?.aborted) return;
    }
  }
}
