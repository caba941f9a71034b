import { fstatSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../errors.js';
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

  async *read(options: ReadOptions): AsyncIterable<RawLine[]> {
    // A pipe may never end: binary data on it (`cat /dev/urandom |`) is given up on. A redirected
    // regular file (`< app.log`) ends by itself and is read whole.
    const guard = this.stream === process.stdin && isRegularFile(0) ? undefined : new BinaryGuard(this.description);
    try {
      yield* scanStream(gunzipIfGzipped(this.stream), new LineScanner('-', options.needles, options.stats, undefined, guard), options, undefined, this.options.onIdle && (() => this.options.onIdle!(this.description)));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') throw new SourceError(`cannot read standard input: not valid gzip data (${(err as Error).message})`);
      throw err;
    }
  }
}

/**
 * The stream's bytes, gunzipped when they start with gzip's magic (1f 8b), as files are sniffed:
 * `show <id> < app.log.gz` and `zcat`-less pipes work. Sniffed lazily, when the reader asks for the
 * first bytes, so a silent pipe still counts as silent for the idle notice.
 */
function gunzipIfGzipped(raw: Readable): Readable {
  async function* bytes(): AsyncIterable<Buffer> {
    const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await chunks.next();
    if (first.done) return;
    const head = first.value;
    async function* all(): AsyncIterable<Buffer> {
      yield head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    }
    if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return yield* all();
    const compressed = Readable.from(all(), { objectMode: false });
    const gunzip = createGunzip();
    compressed.on('error', (err) => gunzip.destroy(err)); // a read error ends the gunzip stream with it
    yield* compressed.pipe(gunzip) as AsyncIterable<Buffer>;
  }
  return Readable.from(bytes(), { objectMode: false });
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
