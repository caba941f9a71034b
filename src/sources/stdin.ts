import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { RawLine } from '../types.js';
import { BinaryGuard } from './binary-guard.js';
import { scanStream, type IdleNotice } from './files.js';
import { LineScanner } from './line-scanner.js';
import type { LogSource, ReadOptions } from './source.js';

/** Standard input, `-` on the command line or implied when input is piped. */
export class StdinSource implements LogSource {
  readonly description = 'standard input';

  constructor(
    private readonly stream: Readable = process.stdin,
    private readonly options: { onIdle?: IdleNotice } = {},
  ) {}

  read(options: ReadOptions): AsyncIterable<RawLine[]> {
    // A pipe may never end: binary data on it (`cat /dev/urandom |`) is given up on. A redirected
    // regular file (`< app.log`) ends by itself and is read whole.
    const guard = this.stream === process.stdin && isRegularFile(0) ? undefined : new BinaryGuard(this.description);
    return scanStream(this.stream, new LineScanner('-', options.needles, options.stats, undefined, guard), options, undefined, this.options.onIdle && (() => this.options.onIdle!(this.description)));
  }
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
