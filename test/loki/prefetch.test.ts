import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { lokiConnection } from '../../src/sources/loki/config.js';
import { LokiSource } from '../../src/sources/loki/loki-source.js';
import { newStats } from '../../src/types.js';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { FAST_RETRY } from './fixtures.js';

// `show --loki` calls prefetch() and only then loads the modules that parse and draw the trace,
// so Loki scans while they load. These check that the early requests are the ones read() uses.

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1_795_641_000_000_000_000n;
const HOUR = 3_600_000_000_000n;
// Lines a real logger wrote (the bundled examples), one entry a millisecond.
const LINES = readFileSync(join(REPO_ROOT, 'examples/api-gateway.log'), 'utf8').split('\n').filter((l) => l.includes(TRACE));
const ENTRIES = LINES.map((line, i) => ({ labels: { service_name: 'api-gateway' }, timeNs: T0 + BigInt(i) * 1_000_000n, line }));

let loki: FakeLoki | undefined;
afterEach(async () => {
  await loki?.close();
  loki = undefined;
});

const sourceFor = (url: string) =>
  new LokiSource(lokiConnection(url), { query: `{service_name=~".+"} |= "${TRACE}"`, fromNs: T0 - HOUR, toNs: T0 + HOUR, parallel: 2, retry: FAST_RETRY });

async function readAll(source: LokiSource): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of source.read({ stats: newStats() })) lines.push(...batch.map((l) => l.text));
  return lines;
}

async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !condition(); ) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('LokiSource.prefetch', () => {
  it('sends the requests before anything reads, and read() takes them over instead of asking again', async () => {
    expect(LINES.length).toBeGreaterThan(1);
    loki = await startFakeLoki({ entries: ENTRIES });
    const source = sourceFor(loki.url);
    source.prefetch();
    await until(() => loki!.requests.length === 2);
    expect(await readAll(source)).toEqual(LINES);
    expect(loki.requests).toHaveLength(2);
    // A second read asks again: the prefetched answers were used once.
    expect(await readAll(source)).toEqual(LINES);
    expect(loki.requests).toHaveLength(4);
  });

  it('gives the same lines as a read without it', async () => {
    loki = await startFakeLoki({ entries: ENTRIES });
    const plain = await readAll(sourceFor(loki.url));
    const early = sourceFor(loki.url);
    early.prefetch();
    expect(await readAll(early)).toEqual(plain);
  });

  it("reports a prefetched request's failure when read, as one line with exit 4", async () => {
    loki = await startFakeLoki({ entries: ENTRIES });
    loki.failNext({ status: 400, body: 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER' });
    const source = sourceFor(loki.url);
    source.prefetch();
    await until(() => loki!.requests.length >= 1);
    // Failing before anyone reads is no crash (vitest fails the run on an unhandled rejection).
    await new Promise((r) => setTimeout(r, 50));
    const err = await readAll(source).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).exitCode).toBe(4);
    expect((err as SourceError).message).toContain('Loki rejected the query (400): parse error at line 1');
  });
});
