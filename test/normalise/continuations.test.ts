// Stack traces printed as plain text after a JSON record are attached to that record (errorStack,
// and the error message when the JSON had none) instead of being counted as malformed lines.
import { describe, expect, test } from 'vitest';
import { continuationFamily } from '../../src/normalise/continuations.js';
import { lines, runBatches, runLines } from './batch-helpers.js';

const ERROR_LINE = '{"level":"error","msg":"request failed","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}';
const NEXT_LINE = '{"level":"info","msg":"next request"}';

const PYTHON = [
  'Traceback (most recent call last):',
  '  File "/app/handler.py", line 12, in handle',
  '    charge(order)',
  '  File "/app/pay.py", line 40, in charge',
  '    raise ValueError("bad")',
  'ValueError: bad',
];

const PYTHON_CHAINED = [
  'Traceback (most recent call last):',
  '  File "/app/db.py", line 3, in get',
  '    return rows[0]',
  'IndexError: list index out of range',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
  '  File "/app/handler.py", line 9, in handle',
  '    raise LookupError("no order") from None',
  'LookupError: no order',
];

const JAVA = [
  'java.lang.IllegalStateException: card declined',
  '\tat com.acme.Pay.charge(Pay.java:42)',
  '\tat com.acme.Orders.place(Orders.java:17)',
  '\tSuppressed: java.io.IOException: close failed',
  '\t\tat com.acme.Pay.close(Pay.java:50)',
  'Caused by: java.net.SocketTimeoutException: Read timed out',
  '\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)',
  '\t... 12 more',
];

const GO = [
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4553a2]',
  '',
  'goroutine 1 [running]:',
  'main.(*Server).handle(0xc000010000, {0x0, 0x0})',
  '\t/app/server.go:31 +0x1d',
  'main.main()',
  '\t/app/main.go:12 +0x25',
  'exit status 2',
];

describe('stack traces after a JSON error line', () => {
  test.each([
    ['Python', PYTHON, 'ValueError: bad'],
    ['Python, chained', PYTHON_CHAINED, 'LookupError: no order'],
    ['Java', JAVA, 'java.lang.IllegalStateException: card declined'],
    ['Go', GO, 'panic: runtime error: invalid memory address or nil pointer dereference'],
  ])('%s: the trace is the record’s errorStack, the error is read from it, nothing is malformed', (_name, trace, error) => {
    const r = runLines([ERROR_LINE, ...trace, NEXT_LINE]);
    expect(r.records.map((x) => x.message)).toEqual(['request failed', 'next request']);
    expect(r.records[0]!.errorStack).toBe(trace.join('\n'));
    expect(r.records[0]!.error).toBe(error);
    expect(r.records[1]!.errorStack).toBeUndefined();
    expect(r.stats).toMatchObject({ malformedLines: 0, linesMatched: trace.length + 2 });
  });

  test('an error the JSON names stays; the printed trace goes after the stack it carried', () => {
    const r = runLines(['{"level":"error","msg":"x","error":"charge failed","stacktrace":"main.run\\n\\t/app/main.go:31"}', ...GO]);
    expect(r.records[0]!.error).toBe('charge failed');
    expect(r.records[0]!.errorStack).toBe(['main.run', '\t/app/main.go:31', ...GO].join('\n'));
  });

  test('Node frames after an info line make it an error line', () => {
    const r = runLines(['{"level":"info","msg":"boom"}', '    at handler (/app/index.js:10:9)', '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)']);
    expect(r.records[0]!.error).toBe('at handler (/app/index.js:10:9)');
    expect(r.stats.malformedLines).toBe(0);
  });

  test('lines inside a CRI wrapper are judged by their text; stdout and stderr of one file share the record', () => {
    const cri = (stream: string, text: string) => `2024-06-01T12:00:00.5Z ${stream} F ${text}`;
    const r = runLines([cri('stdout', ERROR_LINE), ...PYTHON.map((t) => cri('stderr', t))]);
    expect(r.records[0]!.errorStack).toBe(PYTHON.join('\n'));
    expect(r.stats.malformedLines).toBe(0);
  });

  test('docker json-file and logcli wrappers are peeled too', () => {
    const docker = (log: string) => JSON.stringify({ log: `${log}\n`, stream: 'stderr', time: '2024-06-01T12:00:00Z' });
    const logcli = (line: string) => JSON.stringify({ labels: { pod: 'api-1' }, line, timestamp: '2024-06-01T12:00:00Z' });
    for (const wrap of [docker, logcli]) {
      const r = runLines([wrap(ERROR_LINE), ...JAVA.map(wrap)]);
      expect(r.records[0]!.errorStack).toBe(JAVA.join('\n'));
      expect(r.stats.malformedLines).toBe(0);
    }
  });

  test('blank lines after the trace are not part of it and stay malformed', () => {
    const r = runLines([ERROR_LINE, ...PYTHON, '', '']);
    expect(r.records[0]!.errorStack).toBe(PYTHON.join('\n'));
    expect(r.stats.malformedLines).toBe(2);
  });
});

describe('what stays malformed', () => {
  test('a trace with no record before it is counted line by line', () => {
    const r = runLines([...PYTHON, ERROR_LINE]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.errorStack).toBeUndefined();
    expect(r.stats.malformedLines).toBe(PYTHON.length);
  });

  test('a plain text line between the record and the trace breaks it off', () => {
    const r = runLines([ERROR_LINE, 'starting worker', ...JAVA]);
    expect(r.records[0]!.errorStack).toBeUndefined();
    expect(r.stats.malformedLines).toBe(1 + JAVA.length);
  });

  test('plain text after a record is not taken for a trace', () => {
    const r = runLines([ERROR_LINE, 'KeyError: x', '    indented text', 'main.main()']);
    expect(r.records[0]!.error).toBeNull();
    expect(r.stats.malformedLines).toBe(3);
  });

  test('a trace from another file does not attach', () => {
    const r = runBatches([[...lines([ERROR_LINE], 'a.log'), ...lines(PYTHON, 'b.log')]]);
    expect(r.records[0]!.errorStack).toBeUndefined();
    expect(r.stats.malformedLines).toBe(PYTHON.length);
  });
});

describe('holding records back', () => {
  test('a record waits across reads until its next line says whether a stack follows', () => {
    const r = runBatches([lines([ERROR_LINE]), lines(PYTHON, 'app.log', 2), lines([NEXT_LINE], 'app.log', 2 + PYTHON.length)]);
    // Where a read ends must not decide what a record gets: it is handed on with its whole stack.
    expect(r.afterBatch).toEqual([0, 0, 1]);
    expect(r.records[0]!.errorStack).toBe(PYTHON.join('\n'));
    expect(r.records).toHaveLength(2);
  });

  test('a trace that goes on in the next batch is still added to its record', () => {
    const all = lines([ERROR_LINE, ...JAVA, NEXT_LINE]);
    const r = runBatches([all.slice(0, 3), all.slice(3)]);
    expect(r.records[0]!.errorStack).toBe(JAVA.join('\n'));
    expect(r.records[0]!.error).toBe('java.lang.IllegalStateException: card declined');
    expect(r.stats).toMatchObject({ malformedLines: 0, linesMatched: JAVA.length + 2 });
  });

  test('trace lines of a record that is not kept are not counted as matched', () => {
    const r = runBatches([lines([ERROR_LINE, ...GO])], (rec) => rec.traceId === 'other');
    expect(r.stats).toMatchObject({ malformedLines: 0, linesMatched: 0 });
  });
});

describe('the pattern table', () => {
  test.each([
    ['Traceback (most recent call last):', null, 'python'],
    ['  File "/a.py", line 1, in <module>', null, 'python'],
    ['    x = 1', 'python', 'python'],
    ['ValueError: bad', 'python', 'python-end'],
    ['KeyboardInterrupt', 'python', 'python-end'],
    ['\tat com.x.Y.z(Y.java:1)', null, 'java'],
    ['Caused by: java.io.IOException: x', null, 'java'],
    ['\t... 12 more', null, 'java'],
    ['Exception in thread "main" java.lang.Error: x', null, 'java'],
    ['goroutine 7 [chan receive, 5 minutes]:', null, 'go'],
    ['\t/app/main.go:5 +0x1d', 'go', 'go'],
    ['created by main.start in goroutine 1', 'go', 'go'],
  ] as const)('%j after %s continues as %s', (text, open, family) => {
    expect(continuationFamily(text, open)).toBe(family);
  });

  test.each([
    ['ValueError: bad', null],
    ['    x = 1', null],
    ['main.main()', null],
    ['\t/app/main.go:5', 'java'],
    ['server listening on :8080', null],
    ['  at least one retry left', null],
    ['INFO: started', 'python-end'],
  ] as const)('%j after %s is not a continuation', (text, open) => {
    expect(continuationFamily(text, open)).toBeNull();
  });
});
