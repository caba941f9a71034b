import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DDSketch } from '@datadog/sketches-js';
import { SKETCH_RELATIVE_ACCURACY } from '../../src/analyse/service-map.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// `map` on the real otel-node run with explicit parent ids: its edges must be the truth's
// cross-service parent → child pairs, as recorded by the real OpenTelemetry span exporter.
const GLOB = 'corpus/otel-node/b-explicit/*.log';

interface TruthSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  error: boolean;
  logged: boolean;
}

function truthEdges(): Map<string, { calls: number; errors: number }> {
  const truth = JSON.parse(readFileSync(join(REPO_ROOT, 'corpus/otel-node/truth.json'), 'utf8')) as { traces: Array<{ spans: TruthSpan[] }> };
  const edges = new Map<string, { calls: number; errors: number }>();
  for (const t of truth.traces) {
    const byId = new Map(t.spans.map((s) => [s.spanId, s]));
    for (const s of t.spans) {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      if (!parent || parent.service === s.service) continue;
      const key = `${parent.service} → ${s.service}`;
      const e = edges.get(key) ?? { calls: 0, errors: 0 };
      e.calls++;
      if (s.error) e.errors++;
      edges.set(key, e);
    }
  }
  return edges;
}

describe('mcp-trace map', () => {
  it('finds the truth’s caller → callee edges with their call counts', async () => {
    const r = await runCli(['map', GLOB, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const map = JSON.parse(r.stdout) as { traces: number; edges: Array<{ caller: string; callee: string; calls: number; errors: number; inferred: number }> };
    expect(map.traces).toBe(32);
    const ours = new Map(map.edges.map((e) => [`${e.caller} → ${e.callee}`, e]));
    const truth = truthEdges();
    expect([...ours.keys()].sort()).toEqual([...truth.keys()].sort());
    for (const [key, t] of truth) {
      expect(ours.get(key)!.calls, key).toBe(t.calls);
      expect(ours.get(key)!.inferred, key).toBe(0);
    }
  });

  it('prints an aligned table, a Mermaid flowchart and DOT', async () => {
    const text = await runCli(['map', GLOB]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^service map · 32 traces · 5 services · 4 edges\n/);
    expect(text.stdout).toMatch(/\napi-gateway → order-service +32 +\S+% +\S+ +\S+ +\S+ +POST/);
    const mermaid = await runCli(['map', GLOB, '--format', 'mermaid']);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.stdout).toMatch(/ s\d+ -->\|"32 calls · [\d.]+% errors · p95 [^"]+"\| s\d+\n/);
    const dot = await runCli(['map', GLOB, '--format', 'dot']);
    expect(dot.stdout).toMatch(/^digraph services \{\n/);
    expect(dot.stdout).toMatch(/"api-gateway" -> "order-service" \[label="32 calls, /);
    const both = await runCli(['map', GLOB, '--json', '--format', 'dot']);
    expect(both.code).toBe(2);
  });

  it('keeps the filters of traces', async () => {
    const all = JSON.parse((await runCli(['map', GLOB, '--json'])).stdout) as { traces: number };
    const failing = JSON.parse((await runCli(['map', GLOB, '--json', '--errors'])).stdout) as { traces: number };
    const rows = JSON.parse((await runCli(['traces', GLOB, '--json', '--errors', '--limit', '100'])).stdout) as unknown[];
    expect(failing.traces).toBe(rows.length);
    expect(failing.traces).toBeLessThan(all.traces);
  });

  it('quantiles come from a sketch within its stated relative error', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.exp((i % 97) / 13) + i / 100);
    const sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
    values.forEach((v) => sketch.accept(v));
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(sketch.getValueAtQuantile(q) - exact) / exact).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * 1.01);
    }
  });
});
