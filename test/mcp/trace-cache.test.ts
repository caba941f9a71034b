import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { filesFingerprint, TraceCache } from '../../src/mcp/trace-cache.js';
import { REPO_ROOT } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-cache-'));
const file = join(dir, 'api-gateway.log');
copyFileSync(join(REPO_ROOT, 'examples', 'api-gateway.log'), file);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a file read is reused while the file is unchanged, and read again once it grew', async () => {
  const cache = new TraceCache<string>();
  let loads = 0;
  const load = async () => ({ value: `read ${++loads}`, records: 10 });
  expect(await cache.get('t', await filesFingerprint([file]), load)).toBe('read 1');
  expect(await cache.get('t', await filesFingerprint([file]), load)).toBe('read 1');
  appendFileSync(file, '\n');
  expect(await cache.get('t', await filesFingerprint([file]), load)).toBe('read 2');
  expect([cache.hits, cache.misses]).toEqual([1, 2]);
});

it('two calls at once for the same trace read once', async () => {
  const cache = new TraceCache<string>();
  let loads = 0;
  const load = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 20));
    return { value: 'v', records: 1 };
  };
  const fp = await filesFingerprint([file]);
  await Promise.all([cache.get('t', fp, load), cache.get('t', fp, load)]);
  expect(loads).toBe(1);
});

it('a Loki read lives for its TTL only', async () => {
  let now = 0;
  const cache = new TraceCache<number>(undefined, () => now);
  let loads = 0;
  const load = async () => ({ value: ++loads, records: 1 });
  await cache.get('t', { ttlMs: 30_000 }, load);
  now = 29_999;
  expect(await cache.get('t', { ttlMs: 30_000 }, load)).toBe(1);
  now = 30_000;
  expect(await cache.get('t', { ttlMs: 30_000 }, load)).toBe(2);
});

it('is bounded by entries and by records, least recently used out first; a trace over the record cap is not kept', async () => {
  const cache = new TraceCache<string>({ traces: 2, records: 100 });
  const fp = { ttlMs: 60_000 };
  const value = (v: string, records: number) => async () => ({ value: v, records });
  await cache.get('a', fp, value('a', 10));
  await cache.get('b', fp, value('b', 10));
  await cache.get('a', fp, value('a2', 10)); // a is now the most recent
  await cache.get('c', fp, value('c', 10)); // b goes
  expect(cache.size).toBe(2);
  expect(await cache.get('a', fp, value('a3', 10))).toBe('a');
  expect(await cache.get('b', fp, value('b2', 10))).toBe('b2');
  await cache.get('big', fp, value('big', 101));
  expect(await cache.get('big', fp, value('big2', 101))).toBe('big2');
  await cache.get('d', fp, value('d', 95)); // pushes the others out by records
  expect(cache.size).toBe(1);
});
