// `show --format html` as text, without a browser: one self-contained file, a strict CSP, and log
// text that cannot leave its data block. What the page does with it is browser.test.ts's part.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const FAILING = '4bf92f3577b34da6a3ce929d0e0e4736';
const HOSTILE_TRACE = '6b1d5f0e2c9a4e7f8d3b2a1c0e9f8d7c';
const HOSTILE_LOGS = 'test/fixtures/hostile-pino/*.log';

/** The page's data block, parsed as the page's script parses it. */
function dataOf(html: string): { spans: Array<{ name: string; logs: Array<{ message: string; fields: [string, string][] }> }> } {
  const block = /<script type="application\/json" id="trace-data">([^<]*)<\/script>/.exec(html);
  expect(block, 'the data block, with no < inside it').not.toBeNull();
  return JSON.parse(block![1]!);
}

describe('show --format html', () => {
  it('writes one self-contained page: inline style and script, a CSP that allows nothing else, no address to fetch', async () => {
    const r = await runCli(['show', FAILING, 'examples/*.log*', '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^<!doctype html>\n/);
    expect(r.stdout).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(r.stdout).not.toMatch(/\b(src|href)=|https?:\/\/(?!fraud-check|inventory-service|payment-service|order-service)/);
    expect(r.stdout.match(/<script\b/g)).toHaveLength(2);
    expect(dataOf(r.stdout).spans).toHaveLength(5);
  });

  it('keeps hostile log text inside its data block, escaped, and gives it back exactly as sanitised text', async () => {
    const r = await runCli(['show', HOSTILE_TRACE, HOSTILE_LOGS, '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/<script\b/g)).toHaveLength(2);
    expect(r.stdout.match(/<\/script>/g)).toHaveLength(2);
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).not.toContain('<svg');
    expect(r.stdout).not.toMatch(/[\u001b\u202e\u2066\u200b]/);
    const data = dataOf(r.stdout);
    const pricing = data.spans.find((s) => s.name.startsWith('price '))!;
    expect(pricing.name).toBe('price </script><script>window.__pwned = "close-tag"</script><!--');
    const gateway = data.spans[0]!;
    expect(gateway.logs.at(-1)!.message).toBe('request errored \\x1b[2J\\x1b]0;owned\\x07 \\u202eevil\\u2066 \\u200bzero-width');
    expect(gateway.logs[0]!.fields).toContainEqual(['user_agent', '<img src=x onerror="window.__pwned = \'img\'">']);
  });

  it('is refused with flags for the terminal (exit 2)', async () => {
    const r = await runCli(['show', FAILING, 'examples/*.log*', '--format', 'html', '--stats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mcp-trace: --stats prints tables for people; it does not combine with --format html\n');
  });
});
