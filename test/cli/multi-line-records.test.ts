// Records that span several raw lines, seen from the built CLI: container pieces joined (CRI),
// stack traces printed after a JSON line attached to it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const PIECES = '4bf92f3577b34da6a3ce929d0e0e4736';
const PYTHON = '0af7651916cd43dd8448eb211c80319c';
const JAVA = '65f6a93035aba42663a70d11d899a3c1';
const GO = '5b8efff798038103d269b633813fc60c';
const QUIET = '11111111111111111111111111111111';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mcp-trace-multiline-'));
});

function write(name: string, lines: readonly string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const info = (traceId: string, ms: number) => `{"level":"info","ts":${1717243200 + ms / 1000},"msg":"handled","service":"api","trace_id":"${traceId}"}`;

/** Three traces whose JSON line is followed by a printed stack trace, and one without. */
const TRACES_LOG = [
  info(PYTHON, 0),
  'Traceback (most recent call last):',
  '  File "/app/pay.py", line 40, in charge',
  '    raise ValueError("bad")',
  'ValueError: bad',
  info(JAVA, 10),
  'java.lang.IllegalStateException: card declined',
  '\tat com.acme.Pay.charge(Pay.java:42)',
  'Caused by: java.net.SocketTimeoutException: Read timed out',
  '\t... 12 more',
  info(GO, 20),
  'panic: boom',
  '',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/app/main.go:12 +0x25',
  info(QUIET, 30),
];

describe('container pieces (CRI P…F)', () => {
  // The id is in every piece, so show's raw-byte prefilter lets all three through.
  const criLines = [
    `2024-06-01T12:00:00.250000000Z stdout P {"trace_id":"${PIECES}","service":"api","msg":"long ${PIECES}`,
    `2024-06-01T12:00:00.251000000Z stdout P  body","path":"/orders/${PIECES}`,
    `2024-06-01T12:00:00.252000000Z stdout F ","ref":"${PIECES}","level":"info"}`,
    // a second record whose last piece lacks the id: it follows a matching line, so show sees it
    `2024-06-01T12:00:01.000000000Z stdout P {"trace_id":"${PIECES}","service":"api","msg":"cut`,
    `2024-06-01T12:00:01.001000000Z stdout F  here"}`,
  ];

  it('traces lists the joined line once, at the first piece time', async () => {
    const file = write('pieces.log', criLines.slice(0, 3));
    const r = await runCli(['traces', file, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toMatchObject([{ traceId: PIECES, startUnixNano: '1717243200250000000', services: ['api'] }]);
  });

  it('show joins the pieces, also one without the id that follows a matching piece', async () => {
    const file = write('pieces-show.log', criLines);
    const r = await runCli(['show', PIECES, file, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.startUnixNano).toBe('1717243200250000000');
    expect(json.stats).toEqual({ linesRead: 5, linesMatched: 5, malformedLines: 0 });
    // both joined lines are records of the trace
    expect(json.spans.reduce((n: number, span: { logCount: number }) => n + span.logCount, 0)).toBe(2);
  });
});

describe('stack traces printed after a JSON line', () => {
  it('make the line an error line: traces --errors lists exactly those traces', async () => {
    const file = write('traces.log', TRACES_LOG);
    const r = await runCli(['traces', file, '--errors', '--json', '--sort', 'start']);
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout) as Array<{ traceId: string; errorCount: number }>;
    expect(rows.map((row) => [row.traceId, row.errorCount]).sort()).toEqual([
      [JAVA, 1],
      [PYTHON, 1],
      [GO, 1],
    ].sort());
  });

  it('show sees the stack printed after a matching line, though those lines lack the id', async () => {
    const file = write('traces.log', TRACES_LOG);
    const r = await runCli(['show', PYTHON, file, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.spans).toHaveLength(1);
    expect(json.spans[0]).toMatchObject({ error: true, errorMessage: 'ValueError: bad' });
    expect(json.stats).toEqual({ linesRead: 17, linesMatched: 5, malformedLines: 0 });
    const plain = await runCli(['show', PYTHON, file]);
    expect(plain.stdout).toContain('ValueError: bad');
  });

  it('show counts plain text after a matching line that is no stack as malformed, and stops at the next JSON line', async () => {
    const file = write('chatter.log', [info(QUIET, 0), 'starting worker pool', 'pool ready', info(JAVA, 10), 'java.lang.Error: x']);
    const r = await runCli(['show', QUIET, file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stats).toEqual({ linesRead: 5, linesMatched: 1, malformedLines: 2 });
  });
});
