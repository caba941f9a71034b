import type { Readable } from 'node:stream';
import type { RawLine } from '../types.js';
import { scanStream } from './files.js';
import { LineScanner } from './line-scanner.js';
import type { LogSource, ReadOptions } from './source.js';

/** Standard input, `-` on the command line or implied when input is piped. */
export class StdinSource implements LogSource {
  readonly description = 'standard input';

  constructor(private readonly stream: Readable = process.stdin) {}

  read(options: ReadOptions): AsyncIterable<RawLine[]> {
    return scanStream(this.stream, new LineScanner('-', options.needles, options.stats), options);
  }
}
