import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { widerTraceIds } from '../../src/trace-id.js';
import { runCli } from '../support/run-cli.js';

// A gateway on W3C tracing logs the 128-bit trace id; a backend still on B3 64-bit ids logs only
// its low half. Both name one request, and the commands that group by trace say so.
const WIDE = '4bf92f3577b34da6a3ce929d0e0e4736';
const NARROW = 'a3ce929d0e0e4736';

const LINES = [
  { ts: '2025-11-25T09:00:00.000Z', service: 'api-gateway', trace_id: WIDE, span_id: '00f067aa0ba902b7', msg: 'POST /api/orders' },
  { ts: '2025-11-25T09:00:00.010Z', service: 'legacy-billing', trace_id: NARROW, span_id: '1111222233334444', parent_span_id: '00f067aa0ba902b7', msg: 'charge' },
  { ts: '2025-11-25T09:00:00.050Z', service: 'legacy-billing', trace_id: NARROW, span_id: '1111222233334444', parent_span_id: '00f067aa0ba902b7', level: 'error', error: 'card declined', msg: 'charge failed' },
  { ts: '2025-11-25T09:00:00.060Z', service: 'api-gateway', trace_id: WIDE, span_id: '00f067aa0ba902b7', msg: 'request completed', duration_ms: 60 },
  // An unrelated trace whose 64-bit id matches no 128-bit one stays on its own.
  { ts: '2025-11-25T09:00:01.000Z', service: 'legacy-billing', trace_id: '0123456789abcdef', span_id: '5555666677778888', msg: 'nightly run' },
];

async function logFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-trace-widths-'));
  const path = join(dir, 'mixed.log');
  await writeFile(path, LINES.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
}

describe('widerTraceIds', () => {
  it('maps a 64-bit id to the one 128-bit id that ends with it, and leaves ambiguous ones alone', () => {
    expect(widerTraceIds([WIDE, NARROW, '0123456789abcdef'])).toEqual(new Map([[NARROW, WIDE]]));
    const twin = '00000000000000aa' + NARROW;
    expect(widerTraceIds([WIDE, twin, NARROW]).size).toBe(0);
    expect(widerTraceIds([NARROW]).size).toBe(0);
  });
});

describe('traces and check --all on mixed 64/128-bit ids', () => {
  it('check --all checks the request once, with both services', async () => {
    const path = await logFile();
    const r = await runCli(['check', '--all', path, '--expect-service', 'api-gateway,legacy-billing', '--json']);
    expect(r.stderr).toBe('');
    const { traces } = JSON.parse(r.stdout) as { traces: Array<{ traceId: string; passed: boolean; spanCount: number; services: string[] }> };
    expect(traces.map((t) => t.traceId).sort()).toEqual(['0123456789abcdef', WIDE]);
    const request = traces.find((t) => t.traceId === WIDE)!;
    expect(request).toMatchObject({ passed: true, spanCount: 2, services: ['api-gateway', 'legacy-billing'] });
    expect(r.code).toBe(1); // the nightly run lacks api-gateway
  });
});

describe('traces on mixed 64/128-bit ids', () => {
  it('lists the request once, under its 128-bit id, with both services and the error', async () => {
    const path = await logFile();
    const r = await runCli(['traces', path, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ traceId: string; spanCount: number; services: string[]; errorCount: number }>;
    expect(rows.map((row) => row.traceId).sort()).toEqual(['0123456789abcdef', WIDE]);
    expect(rows.find((row) => row.traceId === WIDE)).toMatchObject({ spanCount: 2, services: ['api-gateway', 'legacy-billing'], errorCount: 1 });
  });
});
