import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { widerTraceIds } from '../../src/trace-id.js';
import { runCli } from '../support/run-cli.js';

// A gateway on W3C tracing logs the 128-bit trace id; a backend still on B3 64-bit ids logs only
// its low half. Both name one request, and the commands that group by trace say so.
//
// The lines are real pino output (corpus/zoo/pino, written by corpus/generators/zoo-npm). No
// Node library logs a 64-bit id for a 128-bit trace (OpenTelemetry JS pads B3 ids to 128 bits),
// so the B3 backend is made the one way such a log differs: payment-service's `trace_id` values
// are cut to their low 16 hex, byte for byte otherwise. Beside them, the pino-datadog entry's
// trace, whose Datadog ids are 64-bit only and match no 128-bit id, must stay a trace of its own.
const ZOO = join(import.meta.dirname, '..', '..', 'corpus', 'zoo');

interface Truth {
  traces: Array<{ traceId: string; spans: Array<{ service: string; error: boolean }> }>;
}
const truthOf = async (entry: string) => JSON.parse(await readFile(join(ZOO, entry, 'truth.json'), 'utf8')) as Truth;

async function mixedWidthFiles(): Promise<{ files: string[]; wide: string; narrow: string; datadog: string; services: string[]; errors: number }> {
  const pino = (await truthOf('pino')).traces[0]!;
  const datadog = (await truthOf('pino-datadog')).traces[0]!;
  const wide = pino.traceId;
  const narrow = wide.slice(16);
  const lines = (await readFile(join(ZOO, 'pino', 'pino.log'), 'utf8')).split('\n');
  let cut = 0;
  const b3 = lines.map((line) => {
    if (!line.includes('"service":"payment-service"')) return line;
    cut++;
    return line.replace(`"trace_id":"${wide}"`, `"trace_id":"${narrow}"`);
  });
  expect(cut).toBeGreaterThan(0);
  const dir = await mkdtemp(join(tmpdir(), 'mcp-trace-widths-'));
  const mixed = join(dir, 'mixed.log');
  await writeFile(mixed, b3.join('\n'));
  return {
    files: [mixed, join(ZOO, 'pino-datadog', 'pino-datadog.log')],
    wide,
    narrow,
    datadog: datadog.traceId,
    services: [...new Set(pino.spans.map((s) => s.service))],
    errors: pino.spans.filter((s) => s.error).length,
  };
}

describe('widerTraceIds', () => {
  it('maps a 64-bit id to the one 128-bit id that ends with it, and leaves ambiguous ones alone', async () => {
    const { wide, narrow, datadog } = await mixedWidthFiles();
    expect(widerTraceIds([wide, narrow, datadog])).toEqual(new Map([[narrow, wide]]));
    const twin = '00000000000000aa' + narrow;
    expect(widerTraceIds([wide, twin, narrow]).size).toBe(0);
    expect(widerTraceIds([narrow]).size).toBe(0);
  });
});

describe('traces and check --all on mixed 64/128-bit ids', () => {
  it('traces lists the request once, under its 128-bit id, with every service and the error', async () => {
    const m = await mixedWidthFiles();
    const r = await runCli(['traces', ...m.files, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ traceId: string; spanCount: number; services: string[]; errorCount: number }>;
    expect(rows.map((row) => row.traceId).sort()).toEqual([m.wide, m.datadog].sort());
    const request = rows.find((row) => row.traceId === m.wide)!;
    expect(request).toMatchObject({ spanCount: m.services.length, errorCount: m.errors });
    expect([...request.services].sort()).toEqual([...m.services].sort());
  });

  it('check --all checks the request once, with the B3 service in it', async () => {
    const m = await mixedWidthFiles();
    const r = await runCli(['check', '--all', ...m.files, '--expect-service', 'api-gateway,payment-service', '--json']);
    expect(r.stderr).toBe('');
    const { traces } = JSON.parse(r.stdout) as { traces: Array<{ traceId: string; passed: boolean; spanCount: number; services: string[] }> };
    expect(traces.map((t) => t.traceId).sort()).toEqual([m.wide, m.datadog].sort());
    expect(traces.find((t) => t.traceId === m.wide)).toMatchObject({ passed: true, spanCount: m.services.length });
    expect(r.code).toBe(0); // both traces have both services
  });

  it('show finds the whole request by either id', async () => {
    const m = await mixedWidthFiles();
    for (const id of [m.wide, m.narrow]) {
      const r = await runCli(['show', id, m.files[0]!, '--json']);
      expect(r.code).toBe(0);
      const trace = JSON.parse(r.stdout) as { spans: Array<{ service: string }> };
      expect(new Set(trace.spans.map((s) => s.service))).toEqual(new Set(m.services));
    }
  });
});
