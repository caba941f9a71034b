// The analysis flags and export formats of `show`, run as a user would on the bundled examples.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const SKEWED = 'f0e6d2b8a4c94e1f8a7b3c5d9e2f1a60'; // inventory-service's clock is behind
const FAILING = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = ['examples/api-gateway.log', 'examples/order-service.log', 'examples/payment-service.log', 'examples/fraud-check.log', 'examples/inventory-service.log.gz'];

/* eslint-disable @typescript-eslint/no-explicit-any */
async function json(args: string[]): Promise<any> {
  const r = await runCli(['show', ...args, ...EXAMPLES]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  if (args.includes('--format')) {
    expect(r.stdout.trim().split('\n'), 'one line of JSON, readable as JSON lines').toHaveLength(1);
  }
  return JSON.parse(r.stdout);
}

describe('show: clock skew', () => {
  it('moves the skewed span into its parent by default, and says so on the row and in warnings', async () => {
    const r = await runCli(['show', SKEWED, ...EXAMPLES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/inventory-service .*⇆ \+\d+ms clock skew/);
    const out = await json([SKEWED, '--json']);
    expect(out.warnings).toContainEqual(expect.stringMatching(/^inventory-service shifted \+\d+ ms \(clock skew\)$/));
    const inventory = out.spans.find((s: any) => s.service === 'inventory-service');
    const parent = out.spans.find((s: any) => s.spanId === inventory.parentSpanId);
    expect(BigInt(inventory.startUnixNano)).toBeGreaterThanOrEqual(BigInt(parent.startUnixNano));
  });

  it('leaves times as logged with --no-skew-adjust, and only warns beyond --max-skew', async () => {
    const raw = await json([SKEWED, '--json', '--no-skew-adjust']);
    expect(raw.warnings.join(' ')).not.toMatch(/clock skew/);
    const capped = await json([SKEWED, '--json', '--max-skew', '50ms']);
    expect(capped.warnings).toContainEqual(expect.stringMatching(/^inventory-service looks \+\d+ ms off \(clock skew\), more than the 50 ms maximum; not adjusted$/));
    expect(capped.spans.find((s: any) => s.service === 'inventory-service').startUnixNano).toBe(
      raw.spans.find((s: any) => s.service === 'inventory-service').startUnixNano,
    );
  });

  it('rejects a --max-skew that is not a duration with exit code 2', async () => {
    const r = await runCli(['show', SKEWED, '--max-skew', 'soon', ...EXAMPLES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mcp-trace: --max-skew takes a duration such as 500ms, 30s or 2m, not 'soon'\n$/);
  });
});

describe('show: critical path and stats', () => {
  it('marks the path in the tree and lists it with shares', async () => {
    const r = await runCli(['show', FAILING, '--critical-path', ...EXAMPLES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('legend:');
    expect(r.stdout).toContain('on the critical path');
    const listing = r.stdout.slice(r.stdout.indexOf('Critical path:'));
    expect(listing).toMatch(/^Critical path: \d+ spans?, /);
    expect(listing).toMatch(/^\s+\d+\.\d%\s+\S+\s+api-gateway /m);
  });

  it('prints the per-service and per-operation tables with --stats', async () => {
    const r = await runCli(['show', FAILING, '--stats', ...EXAMPLES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('By service');
    expect(r.stdout).toContain('By operation');
    expect(r.stdout).toMatch(/│ payment-service +│ +\d+ │/);
    expect(r.stdout).toContain('can exceed 100%');
  });
});

describe('show: export formats', () => {
  it('writes OTLP/JSON with every span, error status and hex ids', async () => {
    const out = await json([FAILING, '--format', 'otlp']);
    const spans = out.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    expect(spans.length).toBeGreaterThan(3);
    for (const s of spans) {
      expect(s.traceId).toBe(FAILING);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.startTimeUnixNano).toMatch(/^\d{19}$/);
    }
    expect(spans.some((s: any) => s.status.code === 2)).toBe(true);
  });

  it('writes Jaeger JSON and Chrome trace events', async () => {
    const jaeger = await json([FAILING, '--format', 'jaeger']);
    expect(jaeger.data[0].traceID).toBe(FAILING);
    expect(Object.values(jaeger.data[0].processes).map((p: any) => p.serviceName)).toContain('payment-service');
    const chrome = await json([FAILING, '--format', 'chrome']);
    expect(chrome.traceEvents.filter((e: any) => e.ph === 'X').length).toBe(jaeger.data[0].spans.length);
  });
});
