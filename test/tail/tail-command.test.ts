import { readFileSync } from 'node:fs';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTail, type TailFlags, type TailIO } from '../../src/cli/commands/tail.js';
import { SourceError } from '../../src/errors.js';
import { FakeLoki } from '../support/fake-loki.js';
import {
  attachFakeLokiTail,
  buildFrame,
  frameEntries,
  historyFrame,
  lokiFixture,
  startFakeLokiTail,
  tailFixtureFrames,
  type FakeLokiTailOptions,
  type TailEntry,
} from '../support/fake-loki-tail.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { waitFor } from './helpers.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const RECORDED = tailFixtureFrames('tail_frames_history_then_live.ndjson');
const RECORDED_ENTRIES = RECORDED.flatMap(frameEntries);

/** Text written to a fake stdout/stderr. */
class Capture extends PassThrough {
  text = '';
  constructor() {
    super();
    this.setEncoding('utf8');
    this.on('data', (d: string) => (this.text += d));
  }
  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

interface Running {
  stdout: Capture;
  stderr: Capture;
  stdin: PassThrough;
  /** Ctrl-C. */
  stop: () => Promise<void>;
  done: Promise<void>;
  /** Resolves once followed files are open: lines appended after it are new lines. */
  following: Promise<void>;
}

function start(args: string[], flags: Partial<TailFlags>, extra: Partial<TailIO> = {}): Running {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  const controller = new AbortController();
  let ready!: () => void;
  const following = new Promise<void>((r) => (ready = r));
  const io: TailIO = {
    onFollowing: ready,
    stdout,
    stderr,
    stdin,
    stdinIsTTY: true,
    env: {},
    signal: controller.signal,
    colour: { color: false, colorLevel: 2 },
    stderrColour: false,
    width: 100,
    timeZone: 'utc',
    pollIntervalMs: 10,
    globIntervalMs: 10,
    backoff: { initialMs: 1, maxMs: 5 },
    nowNs: () => 1795641370000000000n,
    ...extra,
  };
  const done = runTail(args, { settle: '3s', ...flags } as TailFlags, io);
  done.catch(() => undefined);
  return {
    stdout,
    stderr,
    stdin,
    done,
    following,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** Lines written by a zap-style service, as in the fixtures. */
function zap(level: string, msg: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, ts: 1795641351.88, msg, ...extra }) + '\n';
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-trace-tail-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tail on files', () => {
  it('prints appended lines, one per record, filtered by service and level', async () => {
    await writeFile(join(dir, 'order-service.log'), zap('error', 'old line, not shown'));
    await writeFile(join(dir, 'payment-service.log'), '');
    const t = start(['*.log'], { service: 'order-service,payment-service', level: 'warn' }, { cwd: dir });
    await t.following;
    await appendFile(join(dir, 'order-service.log'), zap('info', 'request handled', { trace_id: TRACE }));
    await appendFile(join(dir, 'order-service.log'), zap('warn', 'slow downstream call', { trace_id: TRACE, duration_ms: 98 }));
    await appendFile(join(dir, 'payment-service.log'), zap('error', 'charge failed', { trace_id: TRACE, error: 'card declined' }));
    await writeFile(join(dir, 'inventory-service.log'), zap('error', 'other service'));
    await waitFor(() => t.stdout.lines().length >= 2, 'two lines');
    // A last matching line: once it is out, everything written before it has been seen.
    await appendFile(join(dir, 'order-service.log'), zap('fatal', 'sentinel'));
    await waitFor(() => t.stdout.text.includes('sentinel'), 'the sentinel');
    await t.stop();
    // Spaces squeezed: how wide the service column is depends on which lines shared a poll
    // (test/firsthour/tail-gzip-dir.test.ts checks the alignment of a backlog).
    expect(t.stdout.lines().map((l) => l.replace(/ +/g, ' ')).sort()).toEqual([
      '21:15:51.880 order-service FATAL - sentinel',
      '21:15:51.880 order-service WARN 4bf92f35 slow downstream call duration=98.0ms',
      '21:15:51.880 payment-service ERROR 4bf92f35 charge failed error="card declined"',
    ]);
  });

  it('keeps following across a rotation and prints --json records', async () => {
    const file = join(dir, 'api.log');
    await writeFile(file, '');
    const t = start(['api.log'], { json: true }, { cwd: dir });
    await t.following;
    await appendFile(file, zap('info', 'before rotation', { trace_id: TRACE }));
    await waitFor(() => t.stdout.lines().length >= 1, 'first line');
    await rename(file, join(dir, 'api.log.1'));
    await writeFile(file, zap('info', 'after rotation'));
    await waitFor(() => t.stdout.lines().length >= 2, 'line after rotation');
    await t.stop();
    const records = t.stdout.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.message)).toEqual(['before rotation', 'after rotation']);
    expect(records[0]!.timeUnixNano).toBe('1795641351880000000');
    expect(records[0]!.service).toBe('api');
    expect(t.stderr.text).toContain('api.log was rotated');
  });

  it('--trees prints an error line’s whole trace once, after the settle window', async () => {
    // Real pino lines (corpus/zoo/pino): a checkout whose payment-service fails, and whose
    // api-gateway line comes last, inside the settle window: it must be part of the tree.
    const file = join(dir, 'shop.log');
    await writeFile(file, '');
    const t = start(['shop.log'], { trees: true, errors: true, settle: '80ms' }, { cwd: dir });
    await t.following;
    const lines = readFileSync(join(REPO_ROOT, 'corpus/zoo/pino/pino.log'), 'utf8').trimEnd().split('\n');
    const trace = (JSON.parse(lines[0]!) as { trace_id: string }).trace_id;
    const errorLines = lines.filter((l) => l.startsWith('{"level":50'));
    expect(errorLines.length).toBeGreaterThan(0);
    await appendFile(file, lines.slice(0, -1).join('\n') + '\n');
    await appendFile(file, lines.at(-1)! + '\n');
    await waitFor(() => t.stdout.text.includes(`trace ${trace}`) && t.stdout.text.includes('error origin'), 'the tree');
    await new Promise((r) => setTimeout(r, 150));
    await t.stop();
    const out = t.stdout.text;
    // The error lines, not the info ones, then one tree (not two) with all three services.
    expect(out.match(new RegExp(`ERROR ${trace.slice(0, 8)}`, 'g'))).toHaveLength(errorLines.length);
    expect(out).not.toMatch(/INFO .* request received/);
    const tree = out.slice(out.indexOf(`trace ${trace}`));
    for (const service of ['api-gateway', 'order-service', 'payment-service']) expect(tree).toContain(service);
    expect(out.split(`trace ${trace}`).length - 1).toBe(1);
  });

  it('reads piped standard input as a stream and ends when it closes, printing pending trees', async () => {
    const t = start([], { trees: true, settle: '10s' }, { stdinIsTTY: false });
    t.stdin.write(zap('info', 'first', { trace_id: TRACE, service: 'api', span_id: 'b000000000000001' }));
    await waitFor(() => t.stdout.lines().length >= 1, 'the first line before EOF');
    t.stdin.write(zap('error', 'second', { trace_id: TRACE, service: 'api', span_id: 'b000000000000001' }));
    t.stdin.write('plain text panic: \u001b[31mred\n');
    t.stdin.end();
    await t.done;
    const out = t.stdout.text;
    expect(out).toContain('INFO  4bf92f35 first');
    expect(out).toContain('ERROR 4bf92f35 second');
    expect(out).toContain('plain text panic: \\x1b[31mred');
    // The settle window is 10s, but the input ended: the tree is printed at once.
    expect(out).toContain(TRACE);
  });

  it('--json --trees writes the records and then the trace as JSON lines', async () => {
    const t = start([], { json: true, trees: true, settle: '10s' }, { stdinIsTTY: false });
    t.stdin.end(zap('error', 'boom', { trace_id: TRACE, service: 'api', span_id: 'b000000000000001', error: 'bad' }));
    await t.done;
    const docs = t.stdout.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({ message: 'boom', error: 'bad', traceId: TRACE, timeUnixNano: '1795641351880000000' });
    expect(docs[1]).toMatchObject({ traceId: TRACE, services: ['api'], errorCount: 1 });
  });

  it('refuses to run with nothing to follow', async () => {
    const t = start([], {});
    await expect(t.done).rejects.toThrow(/nothing to follow/);
  });
});

describe('tail on Loki', () => {
  let fakeClose: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await fakeClose?.();
    fakeClose = null;
  });

  async function lokiTail(options: FakeLokiTailOptions, flags: Partial<TailFlags>) {
    const fake = await startFakeLokiTail(options);
    fakeClose = fake.close;
    return { fake, t: start([], { loki: fake.url, ...flags }) };
  }

  it('prints the recorded frames, and every line exactly once across a 1006 drop and a 1011 max-duration close', async () => {
    const last = RECORDED_ENTRIES.at(-1)!;
    const more = (n: number): TailEntry => ({
      labels: last.labels,
      ts: (BigInt(last.ts) + BigInt(n) * 100_000_000n).toString(),
      line: JSON.stringify({ level: 'error', ts: 1795641372 + n / 10, msg: `live ${n}`, trace_id: TRACE }),
    });
    const held = [...RECORDED_ENTRIES];
    const { fake, t } = await lokiTail(
      {
        sessions: [
          (s) => {
            RECORDED.forEach((f) => s.send(f));
            setTimeout(() => s.drop(), 20);
          },
          (s) => {
            s.send(historyFrame(held, s.request.start, s.request.limit));
            held.push(more(1));
            s.send(buildFrame([more(1)]));
            s.close(1011, 'reached tail max duration limit');
          },
          (s) => {
            s.send(historyFrame(held, s.request.start, s.request.limit));
            s.send(buildFrame([more(2)]));
          },
        ],
      },
      { limit: 3 },
    );
    const expected = RECORDED_ENTRIES.length + 2;
    await waitFor(() => t.stdout.lines().length >= expected, 'every line');
    await new Promise((r) => setTimeout(r, 50));
    await t.stop();
    const lines = t.stdout.lines();
    expect(lines).toHaveLength(expected);
    expect(lines[0]).toBe('21:15:51.380 inventory-service WARN  4bf92f35 slow downstream call duration=98.0ms');
    expect(lines.at(-2)).toContain('live 1');
    expect(lines.at(-1)).toContain('live 2');
    expect(fake.requests.map((r) => r.start)).toEqual([
      (1795641370000000000n - 3_600_000_000_000n).toString(),
      last.ts,
      more(1).ts,
    ]);
    expect(t.stderr.text).toMatch(/connection to Loki dropped; reconnecting/);
    expect(t.stderr.text).toMatch(/maximum duration; reconnecting/);
  });

  it('pushes --service, --trace and a literal --grep into LogQL, and applies --level locally', async () => {
    const frames = tailFixtureFrames('tail_frames_json_pipeline_delay_for_0.ndjson');
    const info = buildFrame([{ labels: { service_name: 'payment-service' }, ts: '1795641494500000000', line: JSON.stringify({ level: 'info', msg: 'deadline fine', trace_id: TRACE }) }]);
    const sentinel = buildFrame([{ labels: { service_name: 'order-service' }, ts: '1795641495000000000', line: JSON.stringify({ level: 'error', msg: 'deadline sentinel', trace_id: TRACE }) }]);
    const { fake, t } = await lokiTail(
      { sessions: [(s) => [...frames, info, sentinel].forEach((f) => s.send(f))] },
      { service: 'payment-service,order-service', trace: TRACE, grep: 'deadline', level: 'error', delayFor: '0' },
    );
    await waitFor(() => t.stdout.text.includes('sentinel'), 'the last frame');
    await t.stop();
    expect(fake.requests[0]!.query).toBe(
      '{service_name=~"payment-service|order-service"} |~ "a3ce929d0e0e4736|A3CE929D0E0E4736|11803532876627986230" |= "deadline"',
    );
    expect(fake.requests[0]!.delayFor).toBe('0');
    const lines = t.stdout.lines();
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).every((l) => l.includes('payment-service') && l.includes('ERROR'))).toBe(true);
    expect(lines.some((l) => l.includes('deadline fine'))).toBe(false);
  });

  it('a pre-upgrade 400 fails with exit 4 and Loki’s message', async () => {
    const { t } = await lokiTail(
      { sessions: [], reject: () => ({ status: 400, contentType: 'text/plain; charset=utf-8', body: lokiFixture('tail_error_400_delay_for.txt') }) },
      { delayFor: '6' },
    );
    const err = await t.done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).exitCode).toBe(4);
    expect((err as Error).message).toBe("Loki rejected the tail (400): delay_for can't be greater than 5");
  });

  it('--verbose shows each tail request with secrets masked', async () => {
    const { fake, t } = await lokiTail({ sessions: [(s) => s.send(RECORDED[0]!)] }, { verbose: true, username: 'u', password: 's3cret-pw' });
    await waitFor(() => t.stdout.lines().length >= 3, 'the lines');
    await t.stop();
    expect(t.stderr.text).toContain(`mcp-trace: GET ws://127.0.0.1:${new URL(fake.url).port}/loki/api/v1/tail?query=`);
    expect(t.stderr.text).not.toContain('s3cret-pw');
    expect(fake.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:s3cret-pw').toString('base64')}`);
  });

  it('warns on stderr when Loki dropped entries', async () => {
    const dropped = [{ timestamp: '1795641351000000000', labels: { app: 'x' } }];
    const { t } = await lokiTail({ sessions: [(s) => s.send(buildFrame(RECORDED_ENTRIES.slice(0, 1), dropped))] }, {});
    await waitFor(() => t.stdout.lines().length >= 1, 'the line');
    await t.stop();
    expect(t.stderr.text).toContain('mcp-trace: warning: Loki dropped 1 line because we could not keep up');
  });

  it('--trees fetches the error’s trace from Loki and prints it once', async () => {
    const frame = RECORDED[0]!; // one warn and two errors of the same trace
    const store = tailFixtureFrames('tail_frames_history_then_live.ndjson').flatMap(frameEntries);
    const loki = new FakeLoki({ entries: store.map((e) => ({ labels: e.labels, timeNs: BigInt(e.ts), line: e.line })) });
    const tail = attachFakeLokiTail(loki.server, { sessions: [(s) => s.send(frame)] });
    await loki.start();
    fakeClose = async () => {
      tail.close();
      await loki.close();
    };
    const t = start([], { loki: loki.url, trees: true, settle: '20ms' });
    await waitFor(() => t.stdout.text.includes(TRACE), 'the tree');
    await waitFor(() => loki.requests.length > 0 && t.stdout.text.includes('order-service'), 'the whole tree');
    await new Promise((r) => setTimeout(r, 100));
    await t.stop();
    const out = t.stdout.text;
    expect(out.split(TRACE).length - 1).toBe(1);
    // The tail frame had only inventory-service lines; the tree has the other services from query_range.
    expect(out).toContain('order-service');
    expect(out).toContain('payment-service');
    const q = loki.requests.find((r) => r.path.endsWith('/query_range'))!;
    expect(q.query.query).toBe(`{service_name=~".+"} |= "${TRACE}"`);
  });
});
