import { newStats, type RawLine } from '../../src/types.js';
import type { LogSource } from '../../src/sources/source.js';

/** Waits until `check` holds, polling briefly; fails with `what` after a generous deadline. */
export async function waitFor(check: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Reads a source in the background; `lines` fills up as batches arrive. */
export function collect(source: LogSource): {
  lines: RawLine[];
  texts: () => string[];
  stop: () => Promise<void>;
  /** Settles when the read ends by itself (resolves) or fails (rejects). */
  done: Promise<void>;
} {
  const controller = new AbortController();
  const lines: RawLine[] = [];
  const done = (async () => {
    for await (const batch of source.read({ stats: newStats(), signal: controller.signal })) lines.push(...batch);
  })();
  done.catch(() => undefined);
  return {
    done,
    lines,
    texts: () => lines.map((l) => l.text),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** A promise with its resolver, for `onReady`-style callbacks. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
