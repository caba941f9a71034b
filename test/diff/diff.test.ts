import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// `diff` on the real otel-node run (pino + OpenTelemetry, parent ids logged): see
// corpus/generators/otel-node/README.md for the scenarios. Timings there are real, so they vary
// between traces; the tests assert structure and the noise rule, not figures.
const GLOB = 'corpus/otel-node/b-explicit/*.log';
/** fraud-check answers 503 once, payment-service calls again: two sibling calls, the order succeeds. */
const RETRY = '3a746028aba2711092c8b8065838bac2';
/** An ordinary checkout of the same operation (api-gateway POST). */
const CLEAN = '1136e8dd2dce28b315c23a52787fa280';
/** A checkout with a promo and a kit: pricing spans 3 deep in order-service, kit expansion in inventory. */
const DEEP_CHAIN = 'cf7127d7a6dad6fe1558a1952b5421bb';

interface GroupJson {
  id: number;
  parentId: number | null;
  depth: number;
  service: string;
  name: string;
  callee: string | null;
  change: string;
  changed: boolean;
  a: { count: number; totalMs: number; errors: number } | null;
  b: { count: number; totalMs: number; errors: number } | null;
  totalChangeMs: number;
  countChanged: boolean;
  errorChange: string | null;
}

interface DiffJson {
  summary: string;
  changed: boolean;
  threshold: { percent: number; ms: number };
  a: { traceId: string | null; baseline: boolean; durationMs: number; baselineTraces?: number; rootService: string; rootName: string };
  b: { traceId: string | null; baseline: boolean; durationMs: number };
  durationChangeMs: number;
  changedGroups: number;
  spans: GroupJson[];
  services: Array<{ service: string; changed: boolean }>;
  criticalPath: { a: Array<{ id: number }>; b: Array<{ id: number }> };
}

async function diffJson(args: string[]): Promise<DiffJson> {
  const r = await runCli(['diff', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as DiffJson;
}

function group(d: DiffJson, service: string, name: string, callee: string | null = null): GroupJson {
  const found = d.spans.filter((s) => s.service === service && s.name === name && s.callee === callee);
  expect(found, `${service} ${name} → ${callee}`).toHaveLength(1);
  return found[0]!;
}

describe('mcp-trace diff', () => {
  it('the retry against a clean checkout: the call to fraud-check went from one to two, and one of them fails', async () => {
    const d = await diffJson([CLEAN, RETRY, GLOB]);
    const call = group(d, 'payment-service', 'POST', 'fraud-check');
    expect(call.a).toMatchObject({ count: 1, errors: 0 });
    expect(call.b).toMatchObject({ count: 2, errors: 1 });
    expect(call).toMatchObject({ countChanged: true, errorChange: 'now-failing', changed: true });
    const score = group(d, 'fraud-check', 'POST');
    expect(score.parentId).toBe(call.id);
    expect(score).toMatchObject({ countChanged: true, errorChange: 'now-failing' });

    const tree = await runCli(['diff', CLEAN, RETRY, GLOB, '--width', '160']);
    expect(tree.code).toBe(0);
    const lines = tree.stdout.split('\n');
    expect(lines[1]).toBe(`A ${CLEAN} · 630ms · 25 spans · no errors`);
    expect(lines[2]).toBe(`B ${RETRY} · 621ms · 28 spans · 2 errors`);
    expect(tree.stdout).toMatch(/\n[ │]+[├└]─ payment-service POST ×1→×2 .*✖ now failing\n/);
    expect(tree.stdout).toMatch(/\n.*└─ fraud-check POST ×1→×2 .*✖ now failing\n/);
    // Piped: no escape sequences at all.
    expect(tree.stdout).not.toContain('\u001b[');
  });

  it('a trace against itself reports no change', async () => {
    const d = await diffJson([RETRY, RETRY, GLOB]);
    expect(d.changed).toBe(false);
    expect(d.changedGroups).toBe(0);
    expect(d.durationChangeMs).toBe(0);
    expect(d.spans.every((s) => s.change === 'same' && s.totalChangeMs === 0)).toBe(true);
    expect(d.summary).toBe('no change: B matches A within the noise threshold (20%, 1ms; 621ms vs 621ms)');
    const tree = await runCli(['diff', RETRY, RETRY.slice(0, 8), GLOB]);
    expect(tree.code, tree.stderr).toBe(0);
    expect(tree.stdout.split('\n')[0]).toBe('no change: B matches A within the noise threshold (20%, 1ms; 621ms vs 621ms)');
    expect(tree.stdout).toContain('0 of 24 span groups changed, 24 unchanged not drawn');
    expect(tree.stdout).toContain('it did not move: the same span groups decide both durations');
    expect(tree.stdout).not.toMatch(/^└─/m);
  });

  it('a trace with an extra subtree: the pricing and kit spans are new, with everything under them', async () => {
    const d = await diffJson([CLEAN, DEEP_CHAIN, GLOB]);
    const price = group(d, 'order-service', 'order.price');
    expect(price).toMatchObject({ change: 'added', a: null, changed: true });
    const under = (id: number): GroupJson[] => d.spans.filter((s) => s.parentId === id).flatMap((s) => [s, ...under(s.id)]);
    const subtree = under(price.id);
    expect(subtree.map((s) => s.name)).toEqual(expect.arrayContaining(['pricing.rules', 'pricing.rule.eval']));
    expect(subtree.every((s) => s.change === 'added')).toBe(true);
    expect(group(d, 'inventory-service', 'kit.expand').change).toBe('added');
    const tree = await runCli(['diff', CLEAN, DEEP_CHAIN, GLOB, '--width', '160']);
    expect(tree.stdout).toMatch(/order-service order\.price +— +\S+ +\+\S+ .* new\n/);
    // The other way round the same subtree is gone.
    const back = await diffJson([DEEP_CHAIN, CLEAN, GLOB]);
    expect(group(back, 'order-service', 'order.price')).toMatchObject({ change: 'removed', b: null });
  });

  it('changes within the noise threshold are not reported; a tighter threshold reports them', async () => {
    const d = await diffJson([CLEAN, RETRY, GLOB]);
    const within = (s: GroupJson) =>
      s.a !== null && s.b !== null && (Math.abs(s.totalChangeMs) <= 1 || Math.abs(s.totalChangeMs) <= 0.2 * s.a.totalMs);
    const quiet = d.spans.filter((s) => within(s) && !s.countChanged && s.errorChange === null);
    // The real run has such groups (the whole trace among them: 630ms vs 621ms).
    expect(quiet.length).toBeGreaterThan(0);
    for (const s of quiet) expect(s, `${s.service} ${s.name}`).toMatchObject({ changed: false, change: 'same' });
    for (const s of d.spans.filter((x) => !within(x))) expect(s.changed, `${s.service} ${s.name}`).toBe(true);
    expect(d.summary).toMatch(/^B takes as long as A within noise \(621ms vs 630ms\), but \d+ span groups changed$/);

    const tight = await diffJson([CLEAN, RETRY, GLOB, '--threshold', '0%,0ms']);
    expect(tight.threshold).toEqual({ percent: 0, ms: 0 });
    expect(tight.summary).toMatch(/^B is 9\.\dms faster/);
    for (const s of quiet.filter((x) => x.totalChangeMs !== 0)) expect(group(tight, s.service, s.name, s.callee).changed).toBe(true);
  });

  it('--baseline compares with the medians of the other traces of the same root operation', async () => {
    const rows = JSON.parse((await runCli(['traces', GLOB, '--json', '--limit', '1000'])).stdout) as Array<{
      traceId: string;
      durationMs: number;
      rootService: string;
      rootName: string;
    }>;
    const others = rows.filter((r) => r.traceId !== RETRY && r.rootService === 'api-gateway' && r.rootName === 'POST');
    expect(others.length).toBeGreaterThan(20);
    const d = await diffJson([RETRY, '--baseline', GLOB]);
    expect(d.a).toMatchObject({ traceId: null, baseline: true, baselineTraces: others.length, rootService: 'api-gateway', rootName: 'POST' });
    expect(d.b).toMatchObject({ traceId: RETRY, baseline: false });
    const sorted = others.map((r) => r.durationMs).sort((x, y) => x - y);
    const mid = sorted.length / 2;
    const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    expect(d.a.durationMs).toBeCloseTo(median, 2);
    // The typical checkout calls fraud-check once and nothing fails; this one retried.
    expect(group(d, 'payment-service', 'POST', 'fraud-check')).toMatchObject({ a: { count: 1, errors: 0 }, b: { count: 2, errors: 1 }, errorChange: 'now-failing' });
    expect(d.summary).toMatch(/^The trace is \S+ (slower|faster) than the baseline/);

    const limited = await diffJson([RETRY, '--baseline', '--baseline-limit', '5', GLOB]);
    expect(limited.a.baselineTraces).toBe(5);
    const tree = await runCli(['diff', RETRY, '--baseline', GLOB]);
    expect(tree.stdout.split('\n')[1]).toMatch(new RegExp(`^A baseline · median of ${others.length} traces of api-gateway POST · `));
  });

  it('--format markdown: a heading with the summary, the changed groups as a table', async () => {
    const r = await runCli(['diff', CLEAN, RETRY, GLOB, '--format', 'markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^### mcp-trace diff: B takes as long as A within noise \(621ms vs 630ms\), but \d+ span groups changed$/);
    expect(lines).toContain(`- A \`${CLEAN}\`: 630ms · 25 spans · no errors`);
    expect(lines).toContain('| span | A | B | change | | self | what changed |');
    expect(r.stdout).toMatch(/\n\| (&nbsp;)+payment-service POST ×1→×2 \| \S+ \| \S+ \| \S+ \| \S* \| \S+ \| ✖ now failing, repeats \|\n/);
    expect(r.stdout).toContain('| service | self A | self B | change |');
  });

  it('--json has the documented names', async () => {
    const d = await diffJson([CLEAN, RETRY, GLOB]);
    expect(Object.keys(d)).toEqual(['summary', 'changed', 'threshold', 'a', 'b', 'durationChangeMs', 'durationChange', 'lead', 'changedGroups', 'spans', 'services', 'criticalPath']);
    expect(Object.keys(d.spans[0]!)).toEqual([
      'id', 'parentId', 'depth', 'service', 'name', 'kind', 'callee', 'change', 'changed', 'a', 'b',
      'totalChangeMs', 'selfChangeMs', 'contributionMs', 'countChanged', 'errorChange', 'criticalPath', 'spanIdsA', 'spanIdsB',
    ]);
    expect(Object.keys(d.spans[0]!.a!)).toEqual(['count', 'totalMs', 'selfMs', 'criticalMs', 'errors']);
    expect(d.criticalPath.a.length).toBeGreaterThan(3);
    expect(d.spans.map((s) => s.id)).toContain(d.criticalPath.b[0]!.id);
  });

  it('a trace that is not there is exit 3 with one line; a missing second id is a usage error', async () => {
    const missing = await runCli(['diff', RETRY, 'ffffffffffffffffffffffffffffffff', GLOB]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^mcp-trace: trace ffffffffffffffffffffffffffffffff not found in .*\n$/);
    const baseline = await runCli(['diff', 'ffffffffffffffffffffffffffffffff', '--baseline', GLOB]);
    expect(baseline.code).toBe(3);
    expect(baseline.stderr).toMatch(/^mcp-trace: trace ffffffffffffffffffffffffffffffff not found in .*\n$/);
    const one = await runCli(['diff', RETRY], { stdin: 'devnull' });
    expect(one.code).toBe(2);
    expect(one.stderr).toBe('mcp-trace: diff needs two trace ids (mcp-trace diff <traceA> <traceB> [sources…]), or one with --baseline\n');
    const glob = await runCli(['diff', RETRY, GLOB]);
    expect(glob.code).toBe(2);
    expect(glob.stderr).toContain('names log files, not a trace');
    const threshold = await runCli(['diff', RETRY, RETRY, GLOB, '--threshold', 'lots']);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toBe("mcp-trace: --threshold takes a percentage and a duration such as 20%,1ms (either alone works), not 'lots'\n");
  });

  it("README's example is what the bundled examples give", async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const command = "mcp-trace diff 0af7651916cd43dd8448eb211c80319c d3b07384d113edec49eaa6238ad5ff00 'examples/*.log*'";
    const block = new RegExp(`\\$ ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n([\\s\\S]*?)\n\`\`\`\n`).exec(readme);
    expect(block, 'the diff example in README.md').not.toBeNull();
    const r = await runCli(['diff', '0af7651916cd43dd8448eb211c80319c', 'd3b07384d113edec49eaa6238ad5ff00', 'examples/*.log*']);
    expect(r.stdout).toBe(block![1] + '\n');
  });

  it('reads both traces from standard input in one read', async () => {
    const dir = join(REPO_ROOT, 'corpus/otel-node/b-explicit');
    const all = readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    const r = await runCli(['diff', CLEAN, RETRY, '--json'], { stdin: all });
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as DiffJson;
    expect(d.a.traceId).toBe(CLEAN);
    expect(d.b.traceId).toBe(RETRY);
  });
});
