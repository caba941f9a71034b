import type { RawLine } from '../types.js';
import type { LogSource, ReadOptions } from './source.js';

/**
 * Several live sources read at the same time (`tail a.log - b.log`): batches are handed on as
 * they arrive from whichever source, and the read ends when every source has ended or the
 * signal fires. Unlike MultiSource (one after the other) a source that never ends — a followed
 * file — does not starve the others.
 *
 * An abort ends the read at once even if a source is stuck waiting for input (a quiet pipe).
 */
export class LiveMergeSource implements LogSource {
  readonly description: string;

  constructor(private readonly sources: readonly LogSource[]) {
    this.description = sources.map((s) => s.description).join(', ');
  }

  async *read(options: ReadOptions): AsyncIterable<RawLine[]> {
    const iterators = this.sources.map((s) => s.read(options)[Symbol.asyncIterator]());
    type Step = { index: number; result: IteratorResult<RawLine[]> } | { aborted: true };
    const pending = new Map<number, Promise<Step>>();
    const pull = (index: number): void => {
      pending.set(
        index,
        iterators[index]!.next().then((result) => ({ index, result })),
      );
    };
    iterators.forEach((_, i) => pull(i));
    const aborted = new Promise<Step>((resolve) => {
      if (options.signal?.aborted) resolve({ aborted: true });
      options.signal?.addEventListener('abort', () => resolve({ aborted: true }), { once: true });
    });
    try {
      while (pending.size > 0) {
        const step = await Promise.race([...pending.values(), aborted]);
        if ('aborted' in step) return;
        if (step.result.done) {
          pending.delete(step.index);
          continue;
        }
        // The next batch is asked for once this one was taken: what a source does after handing a
        // batch on (a notice about it) then happens after the batch was printed, not before.
        yield step.result.value;
        pull(step.index);
      }
    } finally {
      // Ask the sources still running to stop; one blocked on input finishes in the background.
      for (const index of pending.keys()) void iterators[index]!.return?.(undefined)?.catch(() => undefined);
      for (const p of pending.values()) void p.catch(() => undefined);
    }
  }
}
