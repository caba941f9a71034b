import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/text-width.js';
import { runCli } from '../support/run-cli.js';

// Issue 13 item 1: tables fit the terminal (--width, 100 when piped), and `traces --format tsv`
// is for scripts.

const EXAMPLES = 'examples/*.log*';
const SGR = /\u001b\[[0-9;]*m/g;
const widest = (text: string): number => Math.max(...text.trimEnd().split('\n').map((l) => displayWidth(l.replace(SGR, ''))));
const rowsOf = (text: string): string[][] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.slice(1, -1).split('│').map((c) => c.trim()));

describe('traces table fitted to the width (spawned CLI)', () => {
  for (const width of [80, 120]) {
    it(`at ${width} columns no line is wider, in colour or not, on the examples and on real-library logs`, async () => {
      for (const source of [EXAMPLES, 'corpus/otel-node/a-default/*.log', 'corpus/go-zap/trace-only/*.log']) {
        for (const colour of ['--no-color', '--color']) {
          const r = await runCli(['traces', source, '--width', String(width), '--limit', '40', colour]);
          expect(r.code).toBe(0);
          expect(widest(r.stdout)).toBeLessThanOrEqual(width);
          expect(r.stdout.replace(SGR, '').split('\n')[1]).toMatch(/│ trace id +│/);
        }
      }
    });
  }

  it('piped output fits 100 columns; at 1000 the table is whole (full ids, every column)', async () => {
    const piped = await runCli(['traces', EXAMPLES]);
    expect(widest(piped.stdout)).toBeLessThanOrEqual(100);
    const wide = await runCli(['traces', EXAMPLES, '--width', '1000', '--limit', '100']);
    expect(wide.stdout.split('\n')[1]).toMatch(/^│ trace id +│ start \(UTC\) +│ duration │ status │ spans │ errors │ services +│ root +│$/);
    expect(rowsOf(wide.stdout).map((r) => r[0])).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(widest(wide.stdout)).toBeGreaterThan(150);
  });

  it('at 80 columns ids are 8-hex prefixes that show finds, and the order of giving way is the stated one', async () => {
    const r = await runCli(['traces', EXAMPLES, '--width', '80', '--sort', 'errors', '--limit', '3']);
    const [head, ...rows] = rowsOf(r.stdout);
    // spans and services went first; trace id, start (time of day), duration, errors and root stay.
    expect(head).toEqual(['trace id', 'start (UTC)', 'duration', 'errors', 'root']);
    expect(rows[0]![0]).toBe('4bf92f35');
    expect(rows[0]![1]).toBe('09:00:14.340');
    expect(rows[0]![4]).toMatch(/^api-gateway POST \/api\/orders/);
    const show = await runCli(['show', rows[0]![0]!, EXAMPLES]);
    expect(show.code).toBe(0);
    expect(show.stdout.split('\n')[0]).toMatch(/^trace 4bf92f3577b34da6a3ce929d0e0e4736 /);
  });

  it('ids that are not hex (<unix-ms>-hex) stay whole', async () => {
    const r = await runCli(['traces', 'corpus/go-zap/trace-only/*.log', '--width', '80', '--limit', '3']);
    for (const row of rowsOf(r.stdout).slice(1)) expect(row[0]).toMatch(/^\d{13}-[0-9a-f]{8}$/);
  });

  it('--width outside 40..1000 is a usage error', async () => {
    const r = await runCli(['traces', EXAMPLES, '--width', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--width takes a whole number of columns from 40 to 1000');
  });
});

describe('traces --format tsv (spawned CLI)', () => {
  it('prints a header line and one tab-separated line per trace, nothing cut, no colour', async () => {
    const r = await runCli(['traces', EXAMPLES, '--format', 'tsv', '--limit', '100', '--color', '--width', '40']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('traceId\tstart\tdurationMs\tspanCount\terrorCount\tservices\trootService\trootName\trootStatus');
    expect(lines).toHaveLength(31);
    for (const line of lines) expect(line.split('\t')).toHaveLength(9);
    const failing = lines.find((l) => l.startsWith('4bf92f3577b34da6a3ce929d0e0e4736\t'))!;
    expect(failing.split('\t')).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '2025-11-25T09:00:14.340Z',
      '21',
      '5',
      '4',
      'api-gateway,order-service,inventory-service,payment-service,fraud-check',
      'api-gateway',
      'POST /api/orders',
      '500',
    ]);
  });

  it('says on stderr what --limit left out; with --json it is a usage error', async () => {
    const r = await runCli(['traces', EXAMPLES, '--format', 'tsv']);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(21);
    expect(r.stderr).toBe('mcp-trace: 10 more traces (of 30); show them with --limit 30\n');
    const both = await runCli(['traces', EXAMPLES, '--format', 'tsv', '--json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--json and --format tsv');
  });
});

describe('show --stats fitted to the width (spawned CLI)', () => {
  for (const width of [80, 120]) {
    it(`at ${width} columns no line of the tree or the tables is wider`, async () => {
      for (const id of ['4bf92f35', '8d2c6a91']) {
        const r = await runCli(['show', id, EXAMPLES, '--stats', '--critical-path', '--width', String(width), '--color']);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('By operation');
        expect(widest(r.stdout)).toBeLessThanOrEqual(width);
      }
    });
  }

  it('at 80 columns avg goes first; self time, its share and errors stay', async () => {
    const r = await runCli(['show', '4bf92f35', EXAMPLES, '--stats', '--width', '80']);
    const heads = rowsOf(r.stdout).filter((row) => row[0] === 'service');
    expect(heads[0]).toEqual(['service', 'count', 'total', 'max', 'self', 'self %*', 'errors']);
    expect(heads[1]).toEqual(['service', 'operation', 'count', 'self', 'self %*', 'errors']);
  });
});
