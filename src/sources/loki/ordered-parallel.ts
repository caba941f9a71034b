/**
 * Runs one producer per task, at most `concurrency` at a time, and yields their items in task
 * order — so the output is exactly what running them one after another would give.
 *
 * Memory stays bounded: a producer that runs ahead of the consumer holds at most `prefetch` items
 * before it waits, and a task's slot is only handed on once the consumer has drained it.
 * The first failure anywhere ends the whole run with that error; leaving early aborts every producer.
 */
export async function* orderedParallel<Task, Item>(
  tasks: readonly Task[],
  produce: (task: Task, signal: AbortSignal) => AsyncIterable<Item>,
  options: { concurrency: number; prefetch?: number; signal?: AbortSignal },
): AsyncGenerator<Item> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const prefetch = Math.max(1, options.prefetch ?? 2);
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const failure: RunState = {};
  const queues: Queue<Item>[] = [];

  const start = (index: number): void => {
    const queue = new Queue<Item>(prefetch, failure);
    queues[index] = queue;
    void (async () => {
      try {
        for await (const item of produce(tasks[index]!, controller.signal)) {
          await queue.push(item);
          if (controller.signal.aborted) return;
        }
        queue.close();
      } catch (err) {
        if (!('error' in failure)) failure.error = err;
        for (const q of queues) q?.wake();
        controller.abort(err);
      }
    })();
  };

  try {
    let next = 0;
    while (next < Math.min(concurrency, tasks.length)) start(next++);
    for (let i = 0; i < tasks.length; i++) {
      const queue = queues[i]!;
      for (;;) {
        const item = await queue.pull();
        if (item === DONE) break;
        yield item as Item;
      }
      if (next < tasks.length) start(next++);
    }
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    failure.stopped = true;
    if (!controller.signal.aborted) controller.abort();
    for (const q of queues) q?.wake();
  }
}

const DONE = Symbol('done');

/** Shared by all queues of one run: the first error, and whether the consumer has left. */
interface RunState {
  error?: unknown;
  stopped?: boolean;
}

/** A small bounded channel: push waits while full, pull waits while empty; a shared failure wakes both. */
class Queue<T> {
  private readonly items: T[] = [];
  private closed = false;
  private waitingPull: (() => void) | null = null;
  private waitingPush: (() => void) | null = null;

  constructor(
    private readonly capacity: number,
    private readonly failure: RunState,
  ) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !('error' in this.failure) && !this.failure.stopped) {
      await new Promise<void>((resolve) => (this.waitingPush = resolve));
    }
    if (this.failure.stopped) return;
    this.items.push(item);
    this.wakePull();
  }

  close(): void {
    this.closed = true;
    this.wakePull();
  }

  async pull(): Promise<T | typeof DONE> {
    for (;;) {
      if ('error' in this.failure) throw this.failure.error;
      if (this.items.length > 0) {
        const item = this.items.shift()!;
        const resolve = this.waitingPush;
        this.waitingPush = null;
        resolve?.();
        return item;
      }
      if (this.closed) return DONE;
      await new Promise<void>((resolve) => (this.waitingPull = resolve));
    }
  }

  /** Releases anyone waiting, so they can see a failure or an abort. */
  wake(): void {
    this.wakePull();
    const resolve = this.waitingPush;
    this.waitingPush = null;
    resolve?.();
  }

  private wakePull(): void {
    const resolve = this.waitingPull;
    this.waitingPull = null;
    resolve?.();
  }
}
