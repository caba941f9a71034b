import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../src/collect/read-records.js';
import { FileSource } from '../../src/sources/files.js';
import { newStats, type LogRecord } from '../../src/types.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// Issue 13 item 6: a Go panic that net/http printed (`2025/11/25 09:02:26 http: panic serving
// …` and the goroutine's frames) was counted as malformed, and the trace said only "stopped
// logging". corpus/go-panic is a real Go service whose handler panics under net/http
// (corpus/generators/go-panic): the runtime wrote every panic line.

const LOGS = 'corpus/go-panic/logs/*.log';
interface TruthTrace { traceId: string; scenario: string; spans: { service: string; spanId: string; panicked: boolean }[] }
const truth = JSON.parse(readFileSync(`${REPO_ROOT}/corpus/go-panic/truth.json`, 'utf8')) as { traces: TruthTrace[] };
const alone = truth.traces.find((t) => t.scenario === 'panic-alone')!;
const concurrent = truth.traces.filter((t) => t.scenario === 'panic-concurrent');
const panicked = concurrent.find((t) => t.spans.some((s) => s.panicked))!;
const bystander = concurrent.find((t) => t !== panicked)!;
const ok = truth.traces.find((t) => t.scenario === 'ok')!;

describe('a Go panic printed by net/http (spawned CLI on a real Go run)', () => {
  it('is one error record with its frames, never malformed', async () => {
    const records: LogRecord[] = [];
    const stats = newStats();
    await readRecords(await FileSource.open([`${REPO_ROOT}/corpus/go-panic/logs/order-service.log`]), {
      normaliseOptions: {},
      stats,
      keep: (r) => r.looseError === true,
      onRecord: (r) => records.push(r),
    });
    expect(stats.malformedLines).toBe(0);
    expect(records).toHaveLength(truth.traces.flatMap((t) => t.spans).filter((s) => s.panicked).length);
    for (const r of records) {
      expect(r).toMatchObject({ level: 'error', service: 'order-service', traceId: null, error: 'runtime error: invalid memory address or nil pointer dereference' });
      expect(r.message).toMatch(/^http: panic serving 127\.0\.0\.1:\d+: runtime error: invalid memory address/);
      expect(r.errorStack).toMatch(/^goroutine \d+ \[running\]:\nnet\/http\.\(\*conn\)\.serve\.func1\(\)\n/);
      expect(r.errorStack).toMatch(/\ncreated by net\/http\.\(\*Server\)\.Serve/);
    }
  });

  it('goes to the request that was the only one running in its service: the error origin says the panic', async () => {
    const r = await runCli(['show', alone.traceId, LOGS, '--no-color']);
    expect(r.code).toBe(0);
    const span = alone.spans.find((s) => s.panicked)!;
    expect(r.stdout).toContain(`✖ error origin: order-service GET /v1/orders/ord-nil-1 (span ${span.spanId})\n  runtime error: invalid memory address or nil pointer dereference\n`);
    expect(r.stdout).not.toContain('stopped logging');
    expect(r.stdout).not.toContain('not on any span');
    const logs = await runCli(['show', alone.traceId, LOGS, '--no-color', '--logs', '--width', '200']);
    expect(logs.stdout).toMatch(/└─ order-service GET \/v1\/orders\/ord-nil-1 ✖ ◀ error origin[^\n]*\n(?: +\+\S+ INFO [^\n]*\n)+ +\+\S+ ERROR http: panic serving 127\.0\.0\.1:\d+: runtime error/);
  });

  it('while two requests ran, it is shown in both traces as an error of the service on no span, with why', async () => {
    for (const t of [panicked, bystander]) {
      const r = await runCli(['show', t.traceId, LOGS, '--no-color', '--width', '200']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /\n✖ not on any span \(1\):\n {2}order-service at \+\S+ \(2 requests of order-service were running then; corpus\/go-panic\/logs\/order-service\.log:\d+\)\n {4}http: panic serving 127\.0\.0\.1:\d+: runtime error: invalid memory address or nil pointer dereference\n/,
      );
    }
    const logs = await runCli(['show', bystander.traceId, LOGS, '--no-color', '--logs', '--width', '200']);
    expect(logs.stdout).toMatch(/\n✖ not on any span:\n +\+\S+ ERROR http: panic serving/);
    const merged = await runCli(['show', bystander.traceId, LOGS, '--no-color', '--format', 'logs']);
    expect(merged.stdout).toMatch(/ order-service +ERROR +- +http: panic serving [^\n]*\n {4}goroutine \d+ \[running\]:\n/);
    const json = JSON.parse((await runCli(['show', panicked.traceId, LOGS, '--json'])).stdout) as { unattachedErrors: Record<string, unknown>[] };
    expect(json.unattachedErrors).toEqual([
      expect.objectContaining({
        service: 'order-service',
        reason: '2 requests of order-service were running then',
        level: 'error',
        error: 'runtime error: invalid memory address or nil pointer dereference',
        origin: 'corpus/go-panic/logs/order-service.log',
        stack: expect.stringMatching(/^goroutine \d+ \[running\]:/),
      }),
    ]);
  });

  it('stays out of a trace whose window it is not in', async () => {
    const r = await runCli(['show', ok.traceId, LOGS, '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('panic');
    expect(r.stdout).toContain('no errors');
  });

  it('piped, which request ran cannot be told in one pass: unattached, and it says so', async () => {
    const stdin = execFileSync('sh', ['-c', `cat ${LOGS}`], { cwd: REPO_ROOT });
    const r = await runCli(['show', alone.traceId, '--no-color', '--width', '200'], { stdin });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n✖ not on any span \(1\):\n {2}order-service at \+\S+ \(which request was running cannot be told from one pass over piped input; -:\d+\)\n/);
  });
});
