// `show`, `traces` and `check` derive their spans from one fold (assemble/trace-facts.ts), so
// for every trace they must report the same duration, spans, errors and services, skew
// adjustment included. The inputs are the real-library corpus (corpus/README.md), re-laid out at
// random: lines moved a little out of order, files cut into pieces read as several files.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../scripts/lib/prng.mjs';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

/** One variant of each structure: span ids only, parent ids, trace ids only, and skewed clocks. */
const VARIANTS = ['otel-node/a-default', 'otel-node/b-explicit', 'go-zap/trace-only', 'otel-node/c-skew'];
const SEEDS = [7, 1234];
/** `show` runs per case: a sample keeps the test quick; the seeds pick different ones. */
const SHOWN_PER_CASE = 3;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * The variant's files, each cut into 1–3 pieces that go to part0/, part1/… under the same file
 * name (the name is the service label for lines that do not say), with a few lines swapped
 * with a neighbour: what rotated files and racing writers do to a log.
 */
function relayout(variant: string, seed: number): string {
  const rng = makeRng(seed);
  const out = mkdtempSync(join(tmpdir(), 'one-model-'));
  dirs.push(out);
  const from = join(REPO_ROOT, 'corpus', variant);
  for (const name of readdirSync(from).filter((f) => f.endsWith('.log'))) {
    const lines = readFileSync(join(from, name), 'utf8').split('\n').filter(Boolean);
    for (let i = 1; i < lines.length; i++) {
      if (rng.chance(0.05)) [lines[i - 1], lines[i]] = [lines[i]!, lines[i - 1]!];
    }
    const pieces = rng.int(1, 3);
    const cuts = [0, ...Array.from({ length: pieces - 1 }, () => rng.int(1, lines.length - 1)).sort((a, b) => a - b), lines.length];
    for (let p = 0; p < pieces; p++) {
      const dir = join(out, `part${p}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), lines.slice(cuts[p], cuts[p + 1]).join('\n') + '\n');
    }
  }
  return join(out, 'part*', '*.log');
}

interface Figures {
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

function figures(o: Figures): Figures {
  return { durationMs: o.durationMs, spanCount: o.spanCount, errorCount: o.errorCount, services: [...o.services].sort() };
}

interface ShownSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  startUnixNano: string;
  placeholder: boolean;
}

/** The root `traces` names: the earliest logged span that hangs under nothing logged. */
function rootOf(spans: readonly ShownSpan[]): ShownSpan | undefined {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const top = spans.filter((s) => {
    if (s.placeholder) return false;
    const parent = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
    return !parent || parent.placeholder;
  });
  return top.sort((a, b) => (BigInt(a.startUnixNano) < BigInt(b.startUnixNano) ? -1 : 1))[0];
}

describe('one trace model: traces, check --all and show agree on every trace', () => {
  for (const variant of VARIANTS) {
    for (const seed of SEEDS) {
      it(`${variant}, seed ${seed}`, async () => {
        const glob = relayout(variant, seed);
        const traces = await runCli(['traces', glob, '--json', '--limit', '1000'], { timeoutMs: 60_000 });
        expect(traces.code, traces.stderr).toBe(0);
        const rows = JSON.parse(traces.stdout) as Array<Figures & { traceId: string; rootService: string | null; rootName: string | null }>;
        expect(rows.length).toBeGreaterThan(10);

        const check = await runCli(['check', '--all', glob, '--json'], { timeoutMs: 60_000 });
        expect([0, 1]).toContain(check.code);
        const checks = JSON.parse(check.stdout) as { traces: Array<Figures & { traceId: string }> };
        const checked = new Map(checks.traces.map((c) => [c.traceId, figures(c)]));
        expect(checked.size).toBe(rows.length);
        for (const row of rows) expect(checked.get(row.traceId), row.traceId).toEqual(figures(row));

        const rng = makeRng(seed);
        const sample = Array.from({ length: SHOWN_PER_CASE }, () => rng.pick(rows));
        // Failing traces are where the models used to part: always include one.
        const failing = rows.find((r) => r.errorCount > 0);
        if (failing) sample.push(failing);
        for (const row of sample) {
          const show = await runCli(['show', row.traceId, glob, '--json'], { timeoutMs: 60_000 });
          expect(show.code, show.stderr).toBe(0);
          const shown = JSON.parse(show.stdout) as Figures & { spans: ShownSpan[] };
          expect(figures(shown), row.traceId).toEqual(figures(row));
          const root = rootOf(shown.spans);
          expect([row.rootService, row.rootName], row.traceId).toEqual([root?.service ?? null, root?.name ?? null]);
        }
      }, 120_000);
    }
  }
});
