import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Up to `limit` bytes of a small settings file (a token, the config file), and whether there was
 * more. The size a file claims is not trusted: `/dev/zero`, a FIFO or a growing file say little or
 * nothing about it, and reading them whole grew past 6 GB. Errors are the caller's to word.
 */
export function readSmallFile(path: string, limit: number): { bytes: Buffer; tooLarge: boolean } {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
    return { bytes: buffer.subarray(0, Math.min(filled, limit)), tooLarge: filled > limit };
  } finally {
    closeSync(fd);
  }
}

/** `16 KiB`, `1 MiB`: limits as messages and the README say them. */
export function sizeWords(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}
