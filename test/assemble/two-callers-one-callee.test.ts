import { expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Real zap logs (corpus/go-zap, trace-id only): cart-service calls pricing-service at +7.9 ms and
// edge-api calls it again at +13.2 ms; pricing-service's two visits start 0.4 ms and 0.2 ms after
// those calls. A later call within the clock slack must not take the earlier visit, or the two
// callees swap and the swap is then "explained" as a 6.8 ms clock skew that does not exist.
it('two callers of one service a few ms apart keep their own callees, with no invented skew', async () => {
  const r = await runCli(['show', '1796214543864-d5ab1d32', 'corpus/go-zap/trace-only/*.log', '--no-color']);
  expect(r.code).toBe(0);
  expect(r.stdout).not.toContain('clock skew');
  const rows = r.stdout.split('\n').filter((l) => /pricing-service POST/.test(l));
  expect(rows).toHaveLength(2);
  // Under cart-service (indented one level deeper) sits /v1/prices; under edge-api, /v1/quote.
  expect(rows.find((l) => l.includes('/v1/prices'))).toMatch(/^│\s+└~ pricing-service/);
  expect(rows.find((l) => l.includes('/v1/quote'))).toMatch(/^└~ pricing-service/);
});
