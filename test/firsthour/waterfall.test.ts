import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/text-width.js';
import { runCli } from '../support/run-cli.js';

// Issue 13 items 3 and 4: labels get what they need before the bar, the service name is never
// cut, error messages live in the block under the tree (every failing span), rows show their
// HTTP status and ⚠ for warnings.

const EXAMPLES = 'examples/*.log*';
// examples/README.md's "traces worth a look".
const WORTH_A_LOOK = ['4bf92f35', '0af76519', 'd3b07384', '1764061260000-9f86d081', '8d2c6a91', 'c3a1f9e2', 'f0e6d2b8', '6e1f3b0c', '7b2e9d4c'];

interface JsonSpan {
  spanId: string;
  service: string;
  name: string;
  error: boolean;
  errorMessage?: string | null;
  warning?: boolean;
}

async function showBoth(id: string, width: number): Promise<{ rows: string[]; text: string; spans: JsonSpan[] }> {
  const [tree, json] = await Promise.all([runCli(['show', id, EXAMPLES, '--width', String(width)]), runCli(['show', id, EXAMPLES, '--json'])]);
  expect(tree.code).toBe(0);
  const spans = JSON.parse(json.stdout).spans as JsonSpan[];
  const lines = tree.stdout.split('\n');
  const axis = lines.findIndex((l) => /^ +0 /.test(l));
  return { rows: lines.slice(axis + 1, axis + 1 + spans.length), text: tree.stdout, spans };
}

describe('show: the waterfall rows (spawned CLI)', () => {
  for (const width of [80, 120]) {
    it(`at ${width} columns no line is wider and every row keeps its service name whole`, async () => {
      for (const id of WORTH_A_LOOK) {
        const { rows, text, spans } = await showBoth(id, width);
        for (const line of text.trimEnd().split('\n')) expect(displayWidth(line), `${id}: ${line}`).toBeLessThanOrEqual(width);
        rows.forEach((row, i) => expect(row, id).toContain(`${spans[i]!.service} `));
      }
    });
  }

  it('at 120 columns no label of the failing and the declined checkout is cut', async () => {
    for (const id of ['4bf92f35', '7b2e9d4c']) {
      const { rows, spans } = await showBoth(id, 120);
      rows.forEach((row, i) => {
        expect(row).not.toContain('…');
        expect(row).toContain(`${spans[i]!.service} ${spans[i]!.name}`);
      });
    }
  });

  it('rows carry no error message; the block under the tree lists every failing span with its message, the origin first', async () => {
    const { rows, text, spans } = await showBoth('4bf92f35', 80);
    const failing = spans.filter((s) => s.error);
    expect(failing).toHaveLength(4);
    for (const row of rows) for (const s of failing) expect(row).not.toContain(s.errorMessage!.slice(-12));
    const block = text.slice(text.indexOf('✖ error origin:'));
    expect(block.split('\n')[0]).toBe('✖ error origin: fraud-check POST /v1/score (span 6afeecf5bf4859f0)');
    expect(block).toContain('✖ also failing (3):');
    const unwrapped = block.replace(/\n +/g, ' ');
    for (const s of failing) {
      expect(unwrapped).toContain(`${s.service} ${s.name} (span ${s.spanId})`);
      expect(unwrapped).toContain(s.errorMessage!);
    }
  });

  it('each row shows its HTTP status; 4xx answers and warnings get ⚠, failures ✖', async () => {
    const declined = await showBoth('7b2e9d4c', 100);
    expect(declined.rows[0]).toMatch(/^api-gateway POST \/api\/orders 402 ⚠ /);
    expect(declined.rows[3]).toMatch(/payment-service POST \/v1\/charges 402 ⚠ /);
    expect(declined.rows[4]).toMatch(/fraud-check POST \/v1\/score 200 /);
    declined.rows.forEach((row, i) => expect(row.includes('⚠')).toBe(declined.spans[i]!.warning === true));
    const failed = await showBoth('4bf92f35', 100);
    expect(failed.rows[0]).toMatch(/^api-gateway POST \/api\/orders 500 ✖ /);
    expect(failed.rows[4]).toMatch(/fraud-check POST \/v1\/score 503 ✖ ◀ error origin /);
  });
});
