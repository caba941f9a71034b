import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FollowSource, type FollowOptions } from '../../src/sources/follow.js';
import { collect, deferred, waitFor } from './helpers.js';

let dir: string;
const notices: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-trace-follow-'));
  notices.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts following and resolves once the files present now have their start positions. */
async function follow(patterns: string[], extra: Partial<FollowOptions> = {}) {
  const ready = deferred();
  const source = new FollowSource({
    patterns,
    cwd: dir,
    pollIntervalMs: 10,
    globIntervalMs: 10,
    onNotice: (m) => notices.push(m),
    onReady: ready.resolve,
    ...extra,
  });
  const reader = collect(source);
  await ready.promise;
  return reader;
}

describe('FollowSource (tail -F)', () => {
  it('starts at the end and delivers appended lines, holding back an unfinished line', async () => {
    const file = join(dir, 'app.log');
    await writeFile(file, 'old 1\nold 2\n');
    const r = await follow(['app.log']);
    await appendFile(file, 'new 1\nnew 2\npart');
    await waitFor(() => r.lines.length >= 2, 'two new lines');
    await appendFile(file, 'ial\n');
    await waitFor(() => r.lines.length >= 3, 'the finished line');
    await r.stop();
    expect(r.texts()).toEqual(['new 1', 'new 2', 'partial']);
    expect(r.lines[0]!.origin).toBe('app.log');
  });

  it('with historyLines delivers the last N complete lines first', async () => {
    const file = join(dir, 'app.log');
    await writeFile(file, 'a\nb\nc\nd\n');
    const r = await follow(['app.log'], { historyLines: 2 });
    await appendFile(file, 'e\n');
    await waitFor(() => r.lines.length >= 3, 'history and the new line');
    await r.stop();
    expect(r.texts()).toEqual(['c', 'd', 'e']);
  });

  it('with fromStart reads the whole file, numbering lines', async () => {
    const file = join(dir, 'app.log');
    await writeFile(file, 'a\nb\n');
    const r = await follow(['app.log'], { fromStart: true });
    await waitFor(() => r.lines.length >= 2, 'both lines');
    await r.stop();
    expect(r.lines.map((l) => [l.text, l.lineNo])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('follows a rotation (rename + new file) without losing or repeating lines', async () => {
    const file = join(dir, 'app.log');
    await writeFile(file, 'before\n');
    const r = await follow(['app.log']);
    await appendFile(file, 'one\n');
    await waitFor(() => r.lines.length >= 1, 'first line');
    // The writer still has the old file open: its last line lands after the rename.
    await rename(file, join(dir, 'app.log.1'));
    await appendFile(join(dir, 'app.log.1'), 'two\n');
    await writeFile(file, 'three\n');
    await waitFor(() => r.lines.length >= 3, 'lines from both files');
    await appendFile(file, 'four\n');
    await waitFor(() => r.lines.length >= 4, 'the line after rotation');
    await r.stop();
    expect(r.texts()).toEqual(['one', 'two', 'three', 'four']);
    expect(notices.some((n) => n.includes('rotated'))).toBe(true);
  });

  it('a glob that matches the rotated copy does not read it again', async () => {
    await writeFile(join(dir, 'app.log'), 'start\n');
    // Globs expanded before every poll: the rotated copy is seen before the rotation is.
    const r = await follow(['app.log*'], { globIntervalMs: 0, useWatch: false });
    await appendFile(join(dir, 'app.log'), 'one\n');
    await waitFor(() => r.lines.length >= 1, 'first line');
    await rename(join(dir, 'app.log'), join(dir, 'app.log.1'));
    await writeFile(join(dir, 'app.log'), 'two\n');
    await waitFor(() => r.lines.length >= 2, 'the new file');
    await appendFile(join(dir, 'app.log.1'), 'late\n');
    await waitFor(() => r.lines.length >= 3, 'the late line in the rotated copy');
    // Give a few more polls a chance to (wrongly) repeat anything.
    await appendFile(join(dir, 'app.log'), 'three\n');
    await waitFor(() => r.lines.length >= 4, 'the third line');
    await r.stop();
    expect(r.texts().sort()).toEqual(['late', 'one', 'three', 'two']);
  });

  it('picks up a truncated file from its start', async () => {
    const file = join(dir, 'app.log');
    await writeFile(file, 'x'.repeat(100) + '\n');
    const r = await follow(['app.log']);
    await appendFile(file, 'one\n');
    await waitFor(() => r.lines.length >= 1, 'first line');
    await truncate(file, 0);
    await waitFor(() => notices.some((n) => n.includes('truncated')), 'the truncation notice');
    await appendFile(file, 'after\n');
    await waitFor(() => r.lines.length >= 2, 'the line after truncation');
    await r.stop();
    expect(r.texts()).toEqual(['one', 'after']);
  });

  it('waits for a file that does not exist yet and reads it whole when it appears', async () => {
    const r = await follow(['later.log']);
    await writeFile(join(dir, 'later.log'), 'first\nsecond\n');
    await waitFor(() => r.lines.length >= 2, 'lines of the new file');
    await r.stop();
    expect(r.texts()).toEqual(['first', 'second']);
    expect(notices[0]).toBe('cannot open later.log yet; waiting for it to appear');
    expect(notices.some((n) => n.includes('later.log has appeared'))).toBe(true);
  });

  it('re-expands globs: a matching file created later is followed from its start', async () => {
    await writeFile(join(dir, 'a.log'), 'old\n');
    const r = await follow(['*.log']);
    await writeFile(join(dir, 'b.log'), 'b1\n');
    await waitFor(() => r.lines.length >= 1, 'the new file');
    await appendFile(join(dir, 'a.log'), 'a1\n');
    await waitFor(() => r.lines.length >= 2, 'the old file line');
    await r.stop();
    expect(r.lines.map((l) => `${l.origin}:${l.text}`).sort()).toEqual(['a.log:a1', 'b.log:b1']);
  });

  it('attaches labels from labelsFor and honours needles', async () => {
    const file = join(dir, 'svc.log');
    await writeFile(file, '');
    const ready = deferred();
    const source = new FollowSource({
      patterns: ['svc.log'],
      cwd: dir,
      pollIntervalMs: 10,
      onReady: ready.resolve,
      labelsFor: () => ({ service_name: 'svc' }),
    });
    const { newStats } = await import('../../src/types.js');
    const stats = newStats();
    const controller = new AbortController();
    const got: string[] = [];
    const labels: unknown[] = [];
    const run = (async () => {
      for await (const batch of source.read({ stats, signal: controller.signal, needles: ['keep'] })) {
        for (const l of batch) {
          got.push(l.text);
          labels.push(l.labels);
        }
      }
    })();
    await ready.promise;
    await appendFile(file, 'drop me\nkeep me\n');
    await waitFor(() => got.length >= 1, 'the kept line');
    controller.abort();
    await run;
    expect(got).toEqual(['keep me']);
    expect(labels).toEqual([{ service_name: 'svc' }]);
    expect(stats.linesRead).toBe(2);
  });
});
