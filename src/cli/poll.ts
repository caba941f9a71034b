import { EXIT, UserError } from '../errors.js';
import { lazySpinner } from './progress.js';

/** What one poll saw: whether the thing is there yet, and a fingerprint that settles when it is complete. */
export interface PollLook {
  found: boolean;
  /** Equal in two polls in a row = complete (e.g. span and line counts). */
  fingerprint: string;
  /** For progress: `5 spans, 20 lines`. */
  describe: string;
}

export interface PollOptions {
  /** How long to keep polling; 0 reads once. */
  waitMs: number;
  intervalMs: number;
  /** Injectable clock and sleep, so tests never wait for real. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  progress?: PollProgress;
}

export interface PollOutcome<T> {
  value: T;
  look: PollLook;
  /** Seen the same in two polls in a row (always true without a wait, when found). */
  stable: boolean;
  polls: number;
}

export interface PollProgress {
  poll(n: number, look: PollLook | null, leftMs: number, error?: string): void;
  stop(): void;
}

/**
 * Reads until the result is found and unchanged between two polls in a row, or the wait runs
 * out (Tracetest's rule for a complete trace: logs reach files and Loki seconds late, one service
 * after another). A source that cannot be read yet (file not there, Loki starting) is retried
 * until the wait runs out; then its error is the answer.
 */
export async function pollUntilStable<T>(read: () => Promise<T>, look: (value: T) => PollLook, options: PollOptions): Promise<PollOutcome<T>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.waitMs;
  let previous: PollLook | null = null;
  let polls = 0;
  try {
    for (;;) {
      polls++;
      let outcome: { value: T; look: PollLook } | null = null;
      try {
        const value = await read();
        outcome = { value, look: look(value) };
      } catch (err) {
        if (!retryable(err) || now() >= deadline) throw err;
        options.progress?.poll(polls, null, deadline - now(), (err as Error).message);
      }
      if (outcome) {
        const current = outcome.look;
        const stable = current.found && (options.waitMs === 0 || previous?.fingerprint === current.fingerprint);
        options.progress?.poll(polls, current, Math.max(0, deadline - now()));
        if (stable || now() >= deadline) return { ...outcome, stable, polls };
        previous = current.found ? current : null;
      }
      await sleep(Math.max(0, Math.min(options.intervalMs, deadline - now())));
    }
  } finally {
    options.progress?.stop();
  }
}

/** Source errors (missing file, Loki down) may clear up while we wait; usage errors never do. */
function retryable(err: unknown): boolean {
  return err instanceof UserError && err.exitCode === EXIT.SOURCE;
}

/** A spinner on a terminal; one line per poll otherwise (CI logs show how long the wait took). */
export function pollProgress(what: string, stream: NodeJS.WriteStream = process.stderr): PollProgress {
  if (stream.isTTY && !process.env.CI) {
    const spinner = lazySpinner(stream);
    return {
      poll(n, look, leftMs, error) {
        spinner.show(`waiting for ${what}: ${status(look, error)} (poll ${n}, ${Math.ceil(leftMs / 1000)}s left)`);
      },
      stop: () => spinner.stop(),
    };
  }
  return {
    poll(n, look, leftMs, error) {
      stream.write(`mcp-trace: poll ${n} for ${what}: ${status(look, error)} (${Math.ceil(leftMs / 1000)}s left)\n`);
    },
    stop() {},
  };
}

function status(look: PollLook | null, error?: string): string {
  if (error) return `cannot read yet: ${error}`;
  return look?.found ? look.describe : 'not found yet';
}
