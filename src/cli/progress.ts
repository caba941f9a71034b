import type { Ora } from 'ora';
import { sanitizeMessage } from '../render/sanitize.js';

/** Don't flash a spinner for scans that finish in a blink. */
const SHOW_AFTER_MS = 400;

export interface Progress {
  update(text: string): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/**
 * A spinner on stderr for long scans, only when stderr is a terminal: piped and CI runs stay
 * quiet. It appears after a moment so that quick runs print nothing extra.
 */
export function startProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || process.env.CI) return silent;
  const startedAt = Date.now();
  const spinner = lazySpinner(stream);
  return {
    update(text: string) {
      if (Date.now() - startedAt >= SHOW_AFTER_MS) spinner.show(text);
    },
    stop: () => spinner.stop(),
  };
}

export interface LazySpinner {
  /** Shows the spinner (the first call starts it) with this text. */
  show(text: string): void;
  stop(): void;
}

/** An ora spinner that loads ora only when first shown: runs that never show one never pay for it. */
export function lazySpinner(stream: NodeJS.WriteStream): LazySpinner {
  let spinner: Ora | null = null;
  let loading = false;
  let stopped = false;
  let latest = '';
  return {
    show(text: string) {
      // Spinner text may echo a server's error or a file name: shown escaped, as on stdout.
      latest = sanitizeMessage(text);
      if (spinner) {
        spinner.text = latest;
      } else if (!loading) {
        loading = true;
        void import('ora').then(({ default: ora }) => {
          if (!stopped) spinner = ora({ text: latest, stream, discardStdin: false }).start();
        });
      }
    },
    stop() {
      stopped = true;
      spinner?.stop();
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** Runs a read with a spinner fed by the collect stage's `onProgress`; it stops however reading ends. */
export async function withReadingProgress<T>(read: (onProgress: (done: number, total: number) => void) => Promise<T>): Promise<T> {
  const progress = startProgress();
  try {
    return await read((done, total) =>
      progress.update(total > 0 ? `reading ${formatBytes(done)} of ${formatBytes(total)}` : `reading ${formatBytes(done)}`),
    );
  } finally {
    progress.stop();
  }
}
