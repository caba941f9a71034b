// `show --format mermaid` and the diagrams `check --markdown` embeds, as a user gets them from the
// built CLI on the bundled examples and on the hostile pino fixture (corpus/generators/zoo-npm/hostile.mjs).
// That Mermaid itself parses them is checked in a real browser (browser.test.ts).
import { describe, expect, it } from 'vitest';
import { renderMermaidSequence } from '../../src/render/mermaid-sequence.js';
import { makeTrace } from '../support/make-trace.js';
import { runCli } from '../support/run-cli.js';

const EXAMPLES = 'examples/*.log*';
const FAILING = '4bf92f3577b34da6a3ce929d0e0e4736';
const HOSTILE_TRACE = '6b1d5f0e2c9a4e7f8d3b2a1c0e9f8d7c';
const HOSTILE_LOGS = 'test/fixtures/hostile-pino/*.log';

describe('show --format mermaid', () => {
  it('draws services as participants, calls and returns with status and duration, errors crossed', async () => {
    const r = await runCli(['show', FAILING, EXAMPLES, '--format', 'mermaid']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines.filter((l) => l.includes('participant ')).map((l) => l.replace(/^ *participant s\d+ as /, ''))).toEqual([
      'api-gateway', 'order-service', 'inventory-service', 'payment-service', 'fraud-check',
    ]);
    expect(lines).toContain('  s3->>s4: POST /v1/score');
    expect(lines).toContain('  s4--xs3: 503 · 4.6ms ✖');
    expect(lines).toContain('  s2-->>s1: 201 · 4.0ms');
    expect(r.stdout).toMatch(/Note over s4: ✖ error origin: fraud\.features\.FeatureStoreUnavailable: redis fraud-features:6379 connection refused\n/);
    // The return comes after the callee's own calls: fraud-check answers before payment-service does.
    expect(lines.indexOf('  s4--xs3: 503 · 4.6ms ✖')).toBeLessThan(lines.indexOf('  s3--xs1: 502 · 8.4ms ✖'));
  });

  it('escapes what Mermaid would read as syntax or HTML in logged text, one statement per line', async () => {
    const r = await runCli(['show', HOSTILE_TRACE, HOSTILE_LOGS, '--format', 'mermaid']);
    expect(r.code).toBe(0);
    const body = r.stdout.trimEnd().split('\n').slice(1);
    const statement = /^  (%% mcp-trace show |participant s\d+ as |Note over s\d+: |s\d+(->>|-->>|--x|-x)s\d+: )/;
    for (const line of body) {
      expect(line).toMatch(statement);
      // Nothing from the logs may end the statement, open a comment or a directive, or be markup.
      expect(line.replace(statement, '').replace(/#\w+;/g, '')).not.toMatch(/[;<>"%{}#]/);
    }
    expect(r.stdout).toContain('participant s2 as pay#lt;b#gt;ment#lt;/b#gt;#59;#35;svc');
    expect(r.stdout).not.toMatch(/[\u001b\u202e\u2066\u200b]/);
  });

  it('keeps big traces readable: at most the cap of messages, the error path kept, and a note on what was left out', () => {
    // 400 spans under one root, one of them (late in tree order) the error origin.
    const spans = [{ id: 'root', service: 'gateway', start: 0, duration: 1000 }];
    for (let i = 0; i < 400; i++) {
      spans.push({ id: `s${i}`, parent: 'root', service: `svc-${i % 7}`, name: `op ${i}`, start: i, duration: 1, ...(i === 350 ? { error: 'boom', errorOrigin: true } : {}) } as never);
    }
    const out = renderMermaidSequence(makeTrace({ spans }), { maxMessages: 40 });
    const messages = out.split('\n').filter((l) => /^  (Note over |s\d+-)/.test(l) && !l.includes('left out'));
    expect(messages.length).toBeLessThanOrEqual(40);
    expect(out).toMatch(/: op 350\n/);
    expect(out).toContain('Note over s1: ✖ error origin: boom');
    expect(out).toMatch(/^  %% \d+ of 401 spans left out to keep the diagram under 40 messages$/m);
    expect(out).toMatch(/Note over s0,s\d+: \d+ more spans left out \(\d+ messages drawn\) — mcp-trace show 4bf92f3577b34da6a3ce929d0e0e4736 lists them all/);
  });
});

describe('check --markdown', () => {
  it('embeds a Mermaid diagram for a failing trace', async () => {
    const r = await runCli(['check', FAILING, EXAMPLES, '--no-errors', '--markdown']);
    expect(r.code).toBe(1);
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(r.stdout);
    expect(block?.[1]).toMatch(/^sequenceDiagram\n/);
    expect(block?.[1]).toContain('s4--xs3: 503 · 4.6ms ✖');
  });

  it('draws no diagram for a trace that passes', async () => {
    const r = await runCli(['check', 'd3b07384d113edec49eaa6238ad5ff00', EXAMPLES, '--no-errors', '--markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✅');
    expect(r.stdout).not.toContain('```mermaid');
  });

  it('keeps logged text inside the diagram: no backticks or line breaks that would end the fence', async () => {
    const r = await runCli(['check', HOSTILE_TRACE, HOSTILE_LOGS, '--no-errors', '--markdown']);
    expect(r.code).toBe(1);
    const block = /```mermaid\n([\s\S]*?)\n```\n/.exec(r.stdout)![1]!;
    expect(block).not.toContain('`');
    expect(block.split('\n').every((l) => l === 'sequenceDiagram' || l.startsWith('  '))).toBe(true);
  });
});
