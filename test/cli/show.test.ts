import { mkdtempSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const FAILING = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_ONLY = '1764061260000-9f86d081';
const EXAMPLES = ['examples/api-gateway.log', 'examples/order-service.log', 'examples/payment-service.log', 'examples/fraud-check.log', 'examples/inventory-service.log.gz'];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mcp-trace-show-'));
});

/** The service column of each tree row, in order (rows are the lines after the axis line). */
function treeServices(stdout: string): string[] {
  const known = ['api-gateway', 'order-service', 'payment-service', 'fraud-check', 'inventory-service'];
  // The tree ends where the error block under it starts (it names failing spans too).
  const end = stdout.indexOf('\n✖');
  return (end < 0 ? stdout : stdout.slice(0, end))
    .split('\n')
    .map((line) => known.find((s) => new RegExp(`^[│├└─\\s]*${s}\\b`).test(line)))
    .filter((s): s is string => s !== undefined);
}

describe('mcp-trace show', () => {
  it('draws the failing trace as a tree, with the error origin marked deep in the chain', async () => {
    const r = await runCli(['show', FAILING, ...EXAMPLES, '--no-color']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`trace ${FAILING}`);
    expect(treeServices(r.stdout)).toEqual(['api-gateway', 'order-service', 'inventory-service', 'payment-service', 'fraud-check']);
    const originRow = r.stdout.split('\n').find((l) => l.includes('error origin') && !l.startsWith('✖ error origin'));
    expect(originRow).toMatch(/fraud-check/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('expands quoted globs itself and reads .gz files', async () => {
    const r = await runCli(['show', FAILING, 'examples/*.log*', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.services).toContain('inventory-service');
    const inventory = json.spans.find((s: { service: string }) => s.service === 'inventory-service');
    expect(inventory.logCount).toBeGreaterThan(0);
  });

  it('prints the documented --json shape, every line counted', async () => {
    const r = await runCli(['show', FAILING, ...EXAMPLES, '--json']);
    const json = JSON.parse(r.stdout);
    const totalLines = EXAMPLES.filter((f) => !f.endsWith('.gz'))
      .map((f) => readFileSync(join(REPO_ROOT, f), 'utf8').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).length)
      .reduce((a, b) => a + b, 0);
    expect(json).toMatchObject({
      traceId: FAILING,
      startUnixNano: expect.stringMatching(/^\d{19}$/),
      durationMs: expect.any(Number),
      spanCount: json.spans.length,
      errorCount: 4,
      warnings: expect.any(Array),
      stats: { linesRead: expect.any(Number), linesMatched: expect.any(Number), malformedLines: 0 },
    });
    // The gzipped file's lines count too.
    expect(json.stats.linesRead).toBeGreaterThan(totalLines);
    const root = json.spans[0];
    expect(root).toMatchObject({ parentSpanId: null, service: 'api-gateway', depth: 0, error: true, inferredParent: false, placeholder: false });
    expect(Object.keys(root)).toEqual(expect.arrayContaining(['spanId', 'parentSpanId', 'service', 'name', 'startUnixNano', 'durationMs', 'depth', 'logCount', 'error', 'errorMessage', 'inferredParent', 'placeholder']));
    const fraud = json.spans.find((s: { service: string }) => s.service === 'fraud-check');
    expect(fraud.errorOrigin).toBe(true);
    expect(fraud.errorMessage).toBeTruthy();
  });

  it('reads standard input when nothing is named and input is piped', async () => {
    const input = EXAMPLES.filter((f) => !f.endsWith('.gz')).map((f) => readFileSync(join(REPO_ROOT, f), 'utf8')).join('');
    const r = await runCli(['show', FAILING, '--json'], { stdin: input });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.services).toEqual(expect.arrayContaining(['order-service', 'payment-service']));
  });

  it("reads standard input for '-' next to files", async () => {
    const gateway = readFileSync(join(REPO_ROOT, 'examples/api-gateway.log'), 'utf8');
    const r = await runCli(['show', FAILING, 'examples/order-service.log', '-', '--json'], { stdin: gateway });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).spans.some((s: { name: string; spanId: string }) => s.spanId)).toBe(true);
  });

  it('marks a trace built from trace ids only as inferred', async () => {
    const r = await runCli(['show', TRACE_ONLY, ...EXAMPLES, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.warnings.join(' ')).toMatch(/only a trace id/);
    expect(json.spans.slice(1).every((s: { inferredParent: boolean }) => s.inferredParent)).toBe(true);
  });

  it('skips and counts malformed lines (truncated JSON, plain text, NUL, bare strings, CRLF is fine)', async () => {
    const id = 'aaaabbbbccccddddeeeeffff00001111';
    const lines = [
      `{"level":"info","ts":1764061200.1,"msg":"start","trace_id":"${id}","span_id":"1111111111111111","service":"a"}\r`,
      `{"level":"info","ts":1764061200.2,"msg":"trunc","trace_id":"${id}"`,
      `panic: ${id} went wrong`,
      `"${id}"`,
      `{"level":"info","ts":1764061200.3,"msg":"nul\u0000","trace_id":"${id}"}`,
      `{"level":"error","ts":1764061200.4,"msg":"end","trace_id":"${id}","span_id":"1111111111111111","service":"a"}`,
    ];
    const file = join(tmp, 'mixed.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await runCli(['show', id, file, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.stats).toEqual({ linesRead: 6, linesMatched: 2, malformedLines: 4 });
    expect(json.spans[0].logCount).toBe(2);
  });

  it('matches hex ids in any case and a 64-bit id against its 128-bit form', async () => {
    const file = join(tmp, 'case.log');
    writeFileSync(
      file,
      [
        `{"level":"info","ts":1764061200.1,"msg":"upper","trace_id":"AAAABBBBCCCCDDDDEEEEFFFF00001111","span_id":"1","service":"a"}`,
        `{"level":"info","ts":1764061200.2,"msg":"b3 64-bit","X-B3-TraceId":"eeeeffff00001111","span_id":"2","parent_span_id":"1","service":"b"}`,
        `{"level":"info","ts":1764061200.3,"msg":"other","trace_id":"99999999999999999999999999999999","span_id":"3","service":"c"}`,
      ].join('\n'),
    );
    const r = await runCli(['show', 'aaaabbbbccccddddeeeeffff00001111', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services).toEqual(['a', 'b']);
  });

  it('takes an existing file literally even when its name has glob characters', async () => {
    const file = join(tmp, 'orders[1].log');
    writeFileSync(file, `{"level":"info","ts":1764061200.1,"msg":"hi","trace_id":"${FAILING}","span_id":"1","service":"literal"}\n`);
    const r = await runCli(['show', FAILING, file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services).toEqual(['literal']);
  });

  it('reads a pretty-printed Jaeger or OTLP export (.json) back as a trace', async () => {
    const original = JSON.parse((await runCli(['show', FAILING, ...EXAMPLES, '--json'])).stdout);
    for (const format of ['jaeger', 'otlp']) {
      const exported = await runCli(['show', FAILING, ...EXAMPLES, '--format', format]);
      const file = join(tmp, `export-${format}.json`);
      writeFileSync(file, JSON.stringify(JSON.parse(exported.stdout), null, 2));
      const r = await runCli(['show', FAILING, file, '--json']);
      expect(r.code).toBe(0);
      const back = JSON.parse(r.stdout);
      expect(back.spans.map((s: { service: string; name: string; durationMs: number }) => [s.service, s.name, s.durationMs])).toEqual(
        original.spans.map((s: { service: string; name: string; durationMs: number }) => [s.service, s.name, s.durationMs]),
      );
      expect(back.errorCount).toBe(original.errorCount);
    }
  });

  it('reads a gzipped file whatever its name', async () => {
    const file = join(tmp, 'rotated.log.1');
    writeFileSync(file, gzipSync(`{"level":"info","ts":1764061200.1,"msg":"hi","trace_id":"${FAILING}","span_id":"1","service":"gz"}\n`));
    const r = await runCli(['show', FAILING, file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services).toEqual(['gz']);
  });

  it('takes the service from the file name when lines do not name one', async () => {
    const file = join(tmp, 'billing-service-2024-11-01.log');
    writeFileSync(file, `{"level":30,"time":1764061200100,"msg":"hi","trace_id":"${FAILING}","span_id":"00f067aa0ba902b7"}\n`);
    const r = await runCli(['show', FAILING, file, '--json']);
    expect(JSON.parse(r.stdout).services).toEqual(['billing-service']);
  });

  it('never writes escape sequences from log text to the terminal', async () => {
    const file = join(tmp, 'evil.log');
    writeFileSync(file, `{"level":"error","ts":1764061200.1,"msg":"\\u001b[2J\\u001b]8;;http://x\\u0007click\\u001b]8;;\\u0007","trace_id":"${FAILING}","span_id":"1","service":"evil\\u001b[31m"}\n`);
    for (const args of [['--logs'], ['--format', 'logs'], ['--color']]) {
      const r = await runCli(['show', FAILING, file, ...args]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('\u001b[2J');
      expect(r.stdout).not.toContain('\u001b]8');
      expect(r.stdout).not.toContain('\u0007');
      expect(r.stdout).toContain('\\x1b[2J');
    }
  });

  it('colours with --color and FORCE_COLOR, never with --no-color or NO_COLOR', async () => {
    const colored = await runCli(['show', FAILING, ...EXAMPLES, '--color']);
    expect(colored.stdout).toMatch(/\u001b\[/);
    const forced = await runCli(['show', FAILING, ...EXAMPLES], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[/);
    const noColor = await runCli(['show', FAILING, ...EXAMPLES], { env: { NO_COLOR: '1', FORCE_COLOR: undefined } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
    const flag = await runCli(['show', FAILING, ...EXAMPLES, '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flag.stdout).not.toMatch(/\u001b\[/);
  });

  it('prints span log lines with --logs and the merged lines with --format logs', async () => {
    const logs = await runCli(['show', FAILING, ...EXAMPLES, '--logs', '--no-color']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/\+\d+(\.\d+)?\s*ms/);
    const merged = await runCli(['show', FAILING, ...EXAMPLES, '--format', 'logs', '--no-color']);
    expect(merged.code).toBe(0);
    const stamps = merged.stdout.split('\n').map((l) => l.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z/)?.[0]).filter(Boolean) as string[];
    expect(stamps.length).toBe(JSON.parse((await runCli(['show', FAILING, ...EXAMPLES, '--json'])).stdout).stats.linesMatched);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('ends quietly when the reader closes the pipe early (| head)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('sh', ['-c', `node bin/mcp-trace.js show ${FAILING} examples/*.log* --logs | head -n 1`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('mcp-trace show: errors and exit codes', () => {
  it('exits 3 with the source named when the trace is not there', async () => {
    const r = await runCli(['show', '0123456789abcdef0123456789abcdef', ...EXAMPLES]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mcp-trace: trace 0123456789abcdef0123456789abcdef not found in 5 files \(\d+ lines read/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 4 naming a missing file, or a glob that matches nothing', async () => {
    const missing = await runCli(['show', FAILING, 'examples/nope.log']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe('mcp-trace: cannot read examples/nope.log: no such file\n');
    const glob = await runCli(['show', FAILING, 'examples/*.nope']);
    expect(glob.code).toBe(4);
    expect(glob.stderr).toBe("mcp-trace: no file matches 'examples/*.nope'\n");
  });

  it('exits 4 naming an unreadable file', async () => {
    if (process.getuid?.() === 0) {
      // root reads anything: a directory is the unreadable source here.
      const r = await runCli(['show', FAILING, 'examples']);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/examples is a directory/);
      return;
    }
    const file = join(tmp, 'secret.log');
    writeFileSync(file, '{}\n');
    chmodSync(file, 0o000);
    const r = await runCli(['show', FAILING, file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/permission denied/);
  });

  it('exits 4 on a corrupt .gz file', async () => {
    const file = join(tmp, 'broken.log.gz');
    writeFileSync(file, gzipSync('{"a":1}\n').subarray(0, 12));
    const r = await runCli(['show', FAILING, file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mcp-trace: cannot read .*broken\.log\.gz/);
  });

  it('exits 2 on usage errors, in one line without a stack trace', async () => {
    const noId = await runCli(['show']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/missing required argument 'traceId'/);
    const badFlag = await runCli(['show', FAILING, ...EXAMPLES, '--frobnicate']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/unknown option '--frobnicate'/);
    const badFormat = await runCli(['show', FAILING, ...EXAMPLES, '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    for (const r of [noId, badFlag, badFormat]) {
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('with /dev/null as stdin (CI), asks for sources, or uses LOKI_ADDR when it is set', async () => {
    const none = await runCli(['show', FAILING], { stdin: 'devnull', env: { LOKI_ADDR: undefined } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^mcp-trace: no logs to read: name log files/);
    const { createServer } = await import('node:http');
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(400, { 'content-type': 'text/plain' }).end('no such tenant');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const loki = await runCli(['show', FAILING], { stdin: 'devnull', env: { LOKI_ADDR: `http://127.0.0.1:${port}` } });
      expect(loki.code).toBe(4);
      expect(loki.stderr).toBe('mcp-trace: Loki rejected the query (400): no such tenant\n');
      expect(paths[0]).toMatch(/^\/loki\/api\/v1\/query_range\?/);
    } finally {
      server.close();
    }
  });

  it('exits 130 when interrupted', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../support/run-cli.js');
    // Reading a standard input that never ends: Ctrl-C is the only way out. A signal that lands
    // before Node has run a line of ours kills the process outright (no exit code): a loaded
    // machine can be that slow, so such a run is repeated with more patience.
    for (const delayMs of [500, 1500, 4000]) {
      const child = spawn(process.execPath, [BIN, 'show', FAILING, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGINT');
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      if (signal === 'SIGINT') continue;
      expect(code).toBe(130);
      return;
    }
    throw new Error('the process never got far enough to handle SIGINT');
  });
});
