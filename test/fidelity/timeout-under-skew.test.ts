// corpus/otel-node/c-skew: inventory-service's clock is 750 ms ahead. In the timeout trace the
// only call into inventory-service timed out, so the callee went on working after its caller's
// answer, and "the callee ended before the answer" no longer bounds the offset. Taking that bound
// anyway gave a 1 026 ms offset and a tree upside down: the gateway's root under
// inventory-service. The tree must stay right, with the offset left unmeasured rather than guessed.
import { expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const TIMEOUT_TRACE = 'e74be8311cfb0779cf7df069da2a5a13';

it('a timed-out call into a skewed service keeps the tree right: the gateway at the root, inventory under the order service', async () => {
  const { code, stdout } = await runCli(['show', TIMEOUT_TRACE, 'corpus/otel-node/c-skew/*', '--json']);
  expect(code).toBe(0);
  const trace = JSON.parse(stdout);
  const byId = new Map(trace.spans.map((s: { spanId: string }) => [s.spanId, s]));
  const path = (s: { service: string; name: string; parentSpanId: string | null }): string => {
    const parent = s.parentSpanId ? (byId.get(s.parentSpanId) as typeof s | undefined) : undefined;
    return `${parent ? `${path(parent)} > ` : ''}${s.service}`;
  };
  const roots = trace.spans.filter((s: { parentSpanId: string | null }) => s.parentSpanId === null);
  expect(roots.map((s: { service: string; name: string }) => `${s.service} ${s.name}`)).toEqual(['api-gateway POST /api/orders']);
  const inventoryEntry = trace.spans.find((s: { service: string; name: string }) => s.service === 'inventory-service' && s.name === 'POST /v1/reservations');
  expect(path(inventoryEntry)).toBe('api-gateway > api-gateway > order-service > order-service > inventory-service');
  expect(trace.warnings.join('\n')).not.toMatch(/1026 ms/);
});
