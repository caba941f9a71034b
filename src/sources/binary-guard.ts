import { SourceError } from '../errors.js';

/** Bytes looked at as one window: a window of text holds no NUL byte, one of binary data nearly always does. */
const WINDOW_BYTES = 64 << 10;
/** Windows in a row with a NUL byte after which an input is taken for binary data. */
export const BINARY_RUN_BYTES = 64 << 20;

/**
 * Gives up on an input that may never end (a pipe, a device, standard input) once it has sent
 * BINARY_RUN_BYTES in a row in which every 64 KiB window holds a NUL byte: /dev/urandom,
 * /dev/zero, a disk image. Log text never holds NUL (JSON cannot), so one corrupt line, or a few
 * MiB of zeros left by a crash, stays a few malformed lines. Regular files
 * end by themselves and are never given up on: a copytruncate rotation may leave a long run of
 * zeros at the start of a real log.
 */
export class BinaryGuard {
  private run = 0;
  /** Bytes of the current window seen so far, and whether it held a NUL yet. */
  private inWindow = 0;
  private windowHasNul = false;

  constructor(private readonly name: string) {}

  /** Looks at the next bytes of the input; throws a SourceError once it is binary. */
  see(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; ) {
      const take = Math.min(WINDOW_BYTES - this.inWindow, bytes.length - at);
      if (!this.windowHasNul && bytes.subarray(at, at + take).indexOf(0) !== -1) this.windowHasNul = true;
      this.inWindow += take;
      at += take;
      if (this.inWindow < WINDOW_BYTES) return;
      this.run = this.windowHasNul ? this.run + WINDOW_BYTES : 0;
      this.inWindow = 0;
      this.windowHasNul = false;
      if (this.run >= BINARY_RUN_BYTES) {
        throw new SourceError(
          `stopped reading ${this.name}: it sends binary data, not log lines (${BINARY_RUN_BYTES >> 20} MiB in a row with NUL bytes, which text never holds)`,
        );
      }
    }
  }
}
