import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/text-width.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// Issue 13 item 5: `show --logs` prints each line's fields after its message; the OTLP and
// Jaeger exports carry the span kind and the HTTP status the span answered with.

const EXAMPLES = 'examples/*.log*';
const DECLINED = '7b2e9d4c1a0f48e3b6d5c2a1f0e9d8c7';
/** What zap wrote for the declined checkout's "order created" line (its `caller` is zap's own). */
const orderCreated = JSON.parse(
  readFileSync(join(REPO_ROOT, 'examples', 'order-service.log'), 'utf8').split('\n').find((l) => l.includes(DECLINED) && l.includes('"msg":"order created"'))!,
) as { caller: string; order_id: string };

describe('show --logs prints the fields of each line (spawned CLI)', () => {
  it('show <id> --logs | grep 402 finds the lines that answered 402', async () => {
    const r = await runCli(['show', DECLINED, EXAMPLES, '--logs']);
    expect(r.code).toBe(0);
    const hits = r.stdout.split('\n').filter((l) => l.includes('402'));
    // api-gateway, order-service and payment-service each logged "request completed status=402".
    expect(hits.filter((l) => /request completed status=402 duration=/.test(l))).toHaveLength(3);
  });

  it('other fields follow, and wrap under the message instead of passing the width', async () => {
    for (const width of [80, 120]) {
      const r = await runCli(['show', DECLINED, EXAMPLES, '--logs', '--width', String(width)]);
      for (const line of r.stdout.trimEnd().split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      expect(r.stdout).toContain(`order_id=${orderCreated.order_id}`);
      expect(r.stdout).toContain(`caller=${orderCreated.caller}`);
    }
  });

  it('fields are dim in colour', async () => {
    const r = await runCli(['show', DECLINED, EXAMPLES, '--logs', '--color']);
    expect(r.stdout).toMatch(/\u001b\[2mstatus=402\u001b\[22m/);
  });
});

describe('exports carry kind and HTTP status (spawned CLI)', () => {
  it('OTLP: every logged span has a kind (SERVER for a service visit) and the status it answered', async () => {
    const r = await runCli(['show', DECLINED, EXAMPLES, '--format', 'otlp']);
    expect(r.code).toBe(0);
    const spans = JSON.parse(r.stdout).resourceSpans.flatMap((rs: { scopeSpans: { spans: unknown[] }[] }) => rs.scopeSpans.flatMap((s) => s.spans)) as {
      name: string;
      kind: number;
      attributes: { key: string; value: { intValue?: string } }[];
    }[];
    expect(spans).toHaveLength(5);
    for (const span of spans) expect(span.kind).toBe(2);
    const status = (name: string) => spans.find((s) => s.name === name)!.attributes.find((a) => a.key === 'http.response.status_code')?.value.intValue;
    expect(status('POST /api/orders')).toBe('402');
    expect(status('POST /v1/charges')).toBe('402');
    expect(status('POST /v1/score')).toBe('200');
  });

  it('Jaeger: span.kind and http.status_code tags', async () => {
    const r = await runCli(['show', DECLINED, EXAMPLES, '--format', 'jaeger']);
    const spans = JSON.parse(r.stdout).data[0].spans as { operationName: string; tags: { key: string; value: unknown }[] }[];
    const root = spans.find((s) => s.operationName === 'POST /api/orders')!;
    expect(root.tags).toContainEqual(expect.objectContaining({ key: 'span.kind', value: 'server' }));
    expect(root.tags).toContainEqual(expect.objectContaining({ key: 'http.status_code', value: 402 }));
  });
});
