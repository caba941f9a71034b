import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { lokiConnection } from '../../src/sources/loki/config.js';
import { LokiTailSource, type LokiTailOptions } from '../../src/sources/loki/tail.js';
import {
  buildFrame,
  frameEntries,
  historyFrame,
  lokiFixture,
  startFakeLokiTail,
  tailFixtureFrames,
  type FakeLokiTail,
  type FakeLokiTailOptions,
  type TailEntry,
} from '../support/fake-loki-tail.js';
import { collect, waitFor } from './helpers.js';

const RECORDED = tailFixtureFrames('tail_frames_history_then_live.ndjson');
const RECORDED_ENTRIES = RECORDED.flatMap(frameEntries);
const QUERY = '{service_name=~".+"} |= "4bf92f3577b34da6a3ce929d0e0e4736"';
const NOW_NS = 1795641370000000000n;

let fake: FakeLokiTail | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const notices: string[] = [];
const warnings: string[] = [];

async function tail(fakeOptions: FakeLokiTailOptions, extra: Partial<LokiTailOptions> = {}) {
  notices.length = 0;
  warnings.length = 0;
  fake = await startFakeLokiTail(fakeOptions);
  const source = new LokiTailSource(lokiConnection(fake.url, { orgId: 'tenant-a' }), {
    query: QUERY,
    nowNs: () => NOW_NS,
    backoff: { initialMs: 1, maxMs: 5 },
    onNotice: (m) => notices.push(m),
    onWarning: (m) => warnings.push(m),
    ...extra,
  });
  return collect(source);
}

/** Live entries that arrive after the recorded ones, one of them sharing the last timestamp. */
function laterEntries(): TailEntry[] {
  const last = RECORDED_ENTRIES.at(-1)!;
  return [
    // Same timestamp and text as the last recorded entry, but another stream: a different line.
    { labels: { ...last.labels, level: 'debug' }, ts: last.ts, line: last.line },
    { labels: last.labels, ts: (BigInt(last.ts) + 500_000_000n).toString(), line: '{"level":"info","msg":"after the drop 1"}' },
    { labels: last.labels, ts: (BigInt(last.ts) + 900_000_000n).toString(), line: '{"level":"info","msg":"after the drop 2"}' },
  ];
}

/**
 * Session 2 as Loki would run it: replay what it holds from `start` on (the recorded entries plus
 * one that another stream logged at the last recorded timestamp), then the new live lines.
 */
function resumedSession() {
  const held = [...RECORDED_ENTRIES, laterEntries()[0]!];
  return (s: { request: { start: string | null; limit: string | null }; send: (t: string) => void }) => {
    s.send(historyFrame(held, s.request.start, s.request.limit));
    s.send(buildFrame(laterEntries().slice(1)));
  };
}

describe('LokiTailSource', () => {
  it('delivers the recorded frames (history, then live) with labels and Loki timestamps', async () => {
    const r = await tail({ sessions: [(s) => RECORDED.forEach((f) => s.send(f))] }, { limit: 3 });
    await waitFor(() => r.lines.length >= RECORDED_ENTRIES.length, 'all recorded entries');
    await r.stop();
    expect(r.texts()).toEqual(RECORDED_ENTRIES.map((e) => e.line));
    expect(r.lines[0]!.labels).toEqual({ env: 'dev', level: 'warn', service_name: 'inventory-service' });
    expect(r.lines[0]!.timeNs).toBe(1795641351380000000n);
    expect(r.lines[0]!.origin).toBe('loki {env="dev", level="warn", service_name="inventory-service"}');
    expect(r.lines[0]!.lineNo).toBe(1);
    const request = fake!.requests[0]!;
    expect(request.query).toBe(QUERY);
    expect(request.limit).toBe('3');
    expect(request.start).toBe((NOW_NS - 3_600_000_000_000n).toString());
    expect(request.headers['x-scope-orgid']).toBe('tenant-a');
  });

  it('passes delay_for through and starts at now without history', async () => {
    const frames = tailFixtureFrames('tail_frames_json_pipeline_delay_for_2.ndjson');
    const r = await tail({ sessions: [(s) => frames.forEach((f) => s.send(f))] }, { delayForSeconds: 2 });
    await waitFor(() => r.lines.length >= 2, 'both entries');
    await r.stop();
    expect(fake!.requests[0]!.delayFor).toBe('2');
    expect(fake!.requests[0]!.start).toBe(NOW_NS.toString());
    expect(fake!.requests[0]!.limit).toBeNull();
    expect(r.lines.map((l) => l.labels?.span_id)).toEqual(['00f067aa0ba902cc', '00f067aa0ba902ce']);
  });

  it('after a drop (1006) resumes from the last timestamp and delivers every line exactly once', async () => {
    const store = [...RECORDED_ENTRIES, ...laterEntries()];
    const r = await tail({
      sessions: [
        (s) => {
          RECORDED.forEach((f) => s.send(f));
          setTimeout(() => s.drop(), 20);
        },
        resumedSession(),
      ],
    });
    const expected = store.length;
    await waitFor(() => r.lines.length >= expected, 'all lines after the reconnect');
    await r.stop();
    const keys = r.lines.map((l) => `${l.timeNs} ${JSON.stringify(l.labels)} ${l.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(r.texts()).toEqual(store.map((e) => e.line));
    expect(fake!.requests).toHaveLength(2);
    expect(fake!.requests[1]!.start).toBe(RECORDED_ENTRIES.at(-1)!.ts);
    expect(Number(fake!.requests[1]!.limit)).toBeGreaterThanOrEqual(1000);
    expect(notices.some((n) => /dropped; reconnecting/.test(n))).toBe(true);
    expect(notices.some((n) => /reconnected to Loki; resuming from/.test(n))).toBe(true);
  });

  it('after 1011 "reached tail max duration limit" resumes without repeating lines', async () => {
    const store = [...RECORDED_ENTRIES, ...laterEntries()];
    const r = await tail({
      sessions: [
        (s) => {
          RECORDED.forEach((f) => s.send(f));
          s.close(1011, 'reached tail max duration limit');
        },
        resumedSession(),
      ],
    });
    await waitFor(() => r.lines.length >= store.length, 'all lines after the reconnect');
    await r.stop();
    expect(r.texts()).toEqual(store.map((e) => e.line));
    expect(notices.some((n) => n.includes('maximum duration'))).toBe(true);
  });

  it('a 1011 with a query error ends the tail with exit 4 and the reason', async () => {
    const transcript = JSON.parse(lokiFixture('tail_session_transcripts.json')) as {
      sessions: Array<{ events: Array<{ ev: string; code?: number; reason?: string }> }>;
    };
    const close = transcript.sessions[0]!.events.find((e) => e.ev === 'close')!;
    const r = await tail({ sessions: [(s) => s.close(close.code!, close.reason!)] });
    const err = await r.done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).exitCode).toBe(4);
    expect((err as Error).message).toBe(
      'Loki rejected the tail query: parse error at line 1, col 30: syntax error: unexpected $end, expecting } or ,',
    );
    expect(fake!.requests).toHaveLength(1);
  });

  it('the max concurrent tail requests close says so', async () => {
    const r = await tail({
      sessions: [(s) => s.close(1011, 'rpc error: code = Code(400) desc = max concurrent tail requests limit exceeded, count > limit (11 > 10)')],
    });
    await expect(r.done).rejects.toThrow(
      'Loki refused the tail: too many tails are open for this tenant (max concurrent tail requests limit exceeded, count > limit (11 > 10)); close other tails or raise max_concurrent_tail_requests',
    );
  });

  it('a 400 before the upgrade exits 4 with Loki’s message', async () => {
    const body = lokiFixture('tail_error_400_delay_for.txt');
    expect(body).toBe("delay_for can't be greater than 5\n");
    const r = await tail(
      { sessions: [], reject: (req) => (req.delayFor === '6' ? { status: 400, contentType: 'text/plain; charset=utf-8', body } : null) },
      { delayForSeconds: 6 },
    );
    const err = await r.done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe("Loki rejected the tail (400): delay_for can't be greater than 5");
  });

  it('warns with the count when Loki reports dropped entries', async () => {
    const entries = RECORDED_ENTRIES.slice(0, 2);
    const dropped = [
      { timestamp: '1795641351000000000', labels: { app: 'x' } },
      { timestamp: '1795641351100000000', labels: { app: 'x' } },
      { timestamp: '1795641351200000000', labels: { app: 'y' } },
    ];
    const r = await tail({ sessions: [(s) => s.send(buildFrame(entries, dropped))] });
    await waitFor(() => r.lines.length >= 2, 'the entries');
    await r.stop();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Loki dropped 3 lines because we could not keep up/);
  });

  it('an unreachable Loki at the start is a source error naming the address', async () => {
    fake = await startFakeLokiTail({ sessions: [] });
    const url = fake.url;
    await fake.close();
    fake = null;
    const source = new LokiTailSource(lokiConnection(url), { query: QUERY, backoff: { initialMs: 1, maxMs: 5 } });
    const r = collect(source);
    await expect(r.done).rejects.toThrow(`cannot reach Loki at ${url}: connection refused`);
  });

  it('a silent connection (no frame, no ping) is dropped and resumed', async () => {
    const r = await tail(
      {
        sessions: [
          (s) => s.send(RECORDED[0]!), // then silence
          (s) => s.send(RECORDED[1]!),
        ],
      },
      { idleTimeoutMs: 50 },
    );
    await waitFor(() => r.lines.length >= RECORDED_ENTRIES.length, 'lines from both sessions');
    await r.stop();
    expect(r.texts()).toEqual(RECORDED_ENTRIES.map((e) => e.line));
    expect(notices.some((n) => n.includes('no data or ping from Loki'))).toBe(true);
  });

  it('keeps trying while Loki is unreachable and resumes when it is back', async () => {
    let restarted: FakeLokiTail | null = null;
    const r = await tail({
      sessions: [
        (s) => {
          s.send(RECORDED[0]!);
          // Loki goes away: the socket drops and the port refuses connections for a while.
          setTimeout(() => {
            const port = Number(new URL(fake!.url).port);
            void fake!.close().then(async () => {
              await waitFor(() => notices.filter((n) => n.includes('connection refused')).length >= 3, 'refused reconnects');
              restarted = await startFakeLokiTail({
                port,
                sessions: [(s2) => s2.send(historyFrame(RECORDED_ENTRIES, s2.request.start, s2.request.limit))],
              });
            });
          }, 10);
        },
      ],
    });
    await waitFor(() => r.lines.length >= RECORDED_ENTRIES.length, 'the lines after Loki came back');
    await r.stop();
    await (restarted as FakeLokiTail | null)?.close();
    expect(r.texts()).toEqual(RECORDED_ENTRIES.map((e) => e.line));
    expect(notices.some((n) => /cannot reach Loki at .*connection refused.*; reconnecting in/.test(n))).toBe(true);
    fake = null;
  });

  it('resumes with a smaller limit when this Loki caps entries per query lower', async () => {
    const r = await tail({
      reject: (req) =>
        req.limit === '5000'
          ? { status: 400, contentType: 'text/plain; charset=utf-8', body: 'max entries limit per query exceeded, limit > max_entries_limit (5000 > 1000)' }
          : null,
      sessions: [
        (s) => {
          s.send(RECORDED[0]!);
          setTimeout(() => s.drop(), 10);
        },
        (s) => s.send(historyFrame(RECORDED_ENTRIES, s.request.start, s.request.limit)),
      ],
    });
    await waitFor(() => r.lines.length >= RECORDED_ENTRIES.length, 'the lines after the resume');
    await r.stop();
    expect(r.texts()).toEqual(RECORDED_ENTRIES.map((e) => e.line));
    expect(fake!.requests.map((q) => q.limit)).toEqual([null, '5000', null]);
  });

  it('gives up after repeated sessions that deliver nothing', async () => {
    const r = await tail({ sessions: Array.from({ length: 10 }, () => (s) => s.drop()) }, { maxFailedAttempts: 3 });
    await expect(r.done).rejects.toThrow(/gave up following Loki after 3 failed reconnects/);
  });
});
