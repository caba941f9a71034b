import { expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// The otel-node retry trace (corpus/otel-node, truth from the real span exporter): payment's
// internal span payment.authorize logs "fraud-check answered 503" with `upstream` and the
// status. That reports the callee's answer: the truth has fraud-check's first POST failing and
// payment.authorize succeeding (it retried), so only the callee is an error.
it("a line reporting a peer's 5xx answer fails the peer's span, not the one that logged it", async () => {
  const r = await runCli(['show', '3a746028aba2711092c8b8065838bac2', 'corpus/otel-node/b-explicit/*.log', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const spans = JSON.parse(r.stdout).spans as Array<{ service: string; name: string; error: boolean; warning?: true }>;
  const authorize = spans.find((s) => s.name === 'payment.authorize')!;
  expect(authorize.error).toBe(false);
  expect(authorize.warning).toBe(true);
  const fraudPosts = spans.filter((s) => s.service === 'fraud-check' && s.name.startsWith('POST'));
  expect(fraudPosts.map((s) => s.error).sort()).toEqual([false, true]);
});
