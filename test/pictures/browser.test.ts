// The pictures in a real browser (chromium, one launch for this file): the HTML export opened as
// a user opens it (a file:// page), asserted on its DOM; a screenshot checked for content; and
// the Mermaid output rendered by the mermaid package itself. Skips, saying so, without chromium.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/analyse/critical-path.js';
import { renderHtml } from '../../src/render/html/export-html.js';
import { renderMermaidSequence } from '../../src/render/mermaid-sequence.js';
import { distinctColours, findChromium, launchChromium } from '../support/browser.js';
import { makeTrace, type SpanSpec } from '../support/make-trace.js';
import { runCli } from '../support/run-cli.js';

const CHROMIUM = findChromium();
if (!CHROMIUM) console.log('skipping the browser tests: no chromium (apt-get install chromium, or set CHROMIUM_PATH)');

const FAILING = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = 'examples/*.log*';
const HOSTILE_TRACE = '6b1d5f0e2c9a4e7f8d3b2a1c0e9f8d7c';
const HOSTILE_LOGS = 'test/fixtures/hostile-pino/*.log';
const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-pictures-'));

let browser: Browser;
beforeAll(async () => {
  if (CHROMIUM) browser = await launchChromium(CHROMIUM);
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** `show --format html` through the built CLI, written to a file. */
async function exportHtml(traceId: string, sources: string, name: string): Promise<string> {
  const r = await runCli(['show', traceId, sources, '--format', 'html']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  const file = join(dir, name);
  writeFileSync(file, r.stdout);
  return file;
}

interface Opened {
  page: Page;
  problems: string[];
  dialogs: string[];
}

/** Opens a page and records every script error, CSP report, console error, request and dialog. */
async function open(file: string, viewport = { width: 1400, height: 700 }): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) problems.push(`request: ${req.url()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('.row');
  return { page, problems, dialogs };
}

const serviceColumn = (page: Page): Promise<string[]> => page.locator('.row .service').allTextContents();

describe.skipIf(!CHROMIUM)('show --format html in chromium', () => {
  it('draws every span, marks errors and the origin, searches, collapses, and shows a span on click', async () => {
    const { page, problems } = await open(await exportHtml(FAILING, EXAMPLES, 'failing.html'));
    expect(await page.locator('.row').count()).toBe(5);
    expect(await page.locator('.row.error').count()).toBe(4);
    expect(await page.locator('.row.origin .label').textContent()).toMatch(/^fraud-check\s*POST \/v1\/score\s*503✖◀ error origin$/);
    expect(await page.locator('#shown-count').textContent()).toBe('5 of 5 spans shown');
    // The page is the terminal's colours: fraud-check's 256-colour slot, as xterm shows it.
    expect(await page.locator('.row.origin .service').evaluate((e) => getComputedStyle(e).color)).toMatch(/^rgb\(\d+, \d+, \d+\)$/);

    // Search: one span logs "reserving stock"; it is selected and the others are dimmed.
    await page.fill('#search', 'RESERVING stock');
    await page.press('#search', 'Enter');
    await expect.poll(() => page.locator('#match-count').textContent()).toBe('1 match');
    expect(await page.locator('.row.match .label').allTextContents()).toEqual([expect.stringContaining('inventory-service')]);
    expect(await page.locator('.row.no-match').count()).toBe(4);
    await page.fill('#search', '');
    await page.press('#search', 'Enter');
    await expect.poll(() => page.locator('.row.no-match').count()).toBe(0);

    // Collapse order-service: its three descendants go; expand all brings them back.
    await page.locator('.row', { hasText: 'order-service' }).locator('.toggle').click();
    expect(await serviceColumn(page)).toEqual(['api-gateway', 'order-service']);
    expect(await page.locator('#shown-count').textContent()).toBe('2 of 5 spans shown');
    await page.click('#expand-all');
    expect(await page.locator('.row').count()).toBe(5);
    await page.click('#collapse-all');
    expect(await page.locator('.row').count()).toBe(1);
    await page.click('#goto-origin');
    expect(await page.locator('.row').count()).toBe(5);

    // Click: the details pane has the span's facts, fields and log lines with the stack.
    await page.locator('.row.origin').click();
    const details = (await page.locator('#details').textContent())!;
    expect(details).toContain('span id6afeecf5bf4859f0');
    expect(details).toContain('scoring failed');
    expect(details).toContain('customer_id');
    expect(details).toContain('Traceback (most recent call last):');
    expect(await page.locator('#details .log').count()).toBe(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('makes a screenshot that is not blank', async () => {
    const { page } = await open(await exportHtml(FAILING, EXAMPLES, 'shot.html'));
    await page.locator('.row.origin').click();
    const png = await page.screenshot();
    // The waterfall has five service colours, red, text and anti-aliasing: hundreds of colours.
    expect(await distinctColours(page, png)).toBeGreaterThan(50);
    // And a blank page really counts as blank, so the check above can fail.
    await page.setContent('<body style="background:#fff"></body>');
    expect(await distinctColours(page, await page.screenshot())).toBeLessThanOrEqual(2);
    await page.close();
  });

  it('keeps hostile log text inert: no element, script, dialog or request comes from it, and it reads as text', async () => {
    const file = await exportHtml(HOSTILE_TRACE, HOSTILE_LOGS, 'hostile.html');
    const { page, problems, dialogs } = await open(file);
    const before = await page.evaluate(() => document.querySelectorAll('*').length);
    // Show every span's details, where the messages, errors and fields are.
    for (let i = 0; i < 4; i++) {
      await page.locator(`.row[data-index="${i}"]`).click();
      expect(await page.locator('#details img, #details svg, #details script, #details b, #details iframe').count()).toBe(0);
    }
    await page.fill('#search', 'pwned');
    await page.press('#search', 'Enter');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => document.scripts.length)).toBe(2);
    expect(await page.locator('[onerror], [onload]').count()).toBe(0);
    expect(before).toBeGreaterThan(0);
    // The markup is shown as the text it is, its escapes visible.
    await page.locator('.row[data-index="0"]').click();
    const details = (await page.locator('#details').textContent())!;
    expect(details).toContain('<img src=x onerror="window.__pwned = \'img\'">');
    expect(details).toContain('\\x1b[2J');
    expect(details).toContain('\\u202eevil');
    expect(await page.locator('.legend').textContent()).toContain('pay<b>ment</b>;#svc');
    await page.close();
  });

  it('stays light with 10 000 spans: only the rows in view are in the DOM, and scroll, search and collapse reach every span', async () => {
    const spans: SpanSpec[] = [{ id: 'root', service: 'gateway', name: 'GET /big', start: 0, duration: 10_000 }];
    for (let i = 0; i < 9_999; i++) {
      const parent = i < 100 ? 'root' : `s${Math.floor(i / 100) - 1}`;
      spans.push({ id: `s${i}`, parent, service: `svc-${i % 12}`, name: `op ${i}`, start: i, duration: 1, logs: [{ at: i, message: `working on item ${i}` }] });
    }
    const trace = makeTrace({ spans });
    const file = join(dir, 'big.html');
    writeFileSync(file, renderHtml(trace, criticalPath(trace)));
    const { page, problems } = await open(file);
    expect(await page.locator('#shown-count').textContent()).toBe('10000 of 10000 spans shown');
    expect(await page.locator('.row').count()).toBeLessThan(100);
    await page.locator('#rows').evaluate((e) => (e.scrollTop = e.scrollHeight));
    await expect.poll(() => page.locator('.row .name', { hasText: /^op 9998$/ }).count()).toBe(1);
    expect(await page.locator('.row').count()).toBeLessThan(100);
    await page.fill('#search', 'item 4321');
    await page.press('#search', 'Enter');
    await expect.poll(() => page.locator('#match-count').textContent()).toBe('1 match');
    expect(await page.locator('.row.selected .label').textContent()).toContain('op 4321');
    expect(await page.locator('#details').textContent()).toContain('working on item 4321');
    await page.click('#collapse-all');
    expect(await page.locator('#shown-count').textContent()).toBe('1 of 10000 spans shown');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!CHROMIUM)('show --format mermaid in chromium, with the mermaid package', () => {
  const require = createRequire(import.meta.url);
  const MERMAID_JS = require.resolve('mermaid/dist/mermaid.min.js');

  /** Parses and renders each diagram; returns the SVG texts (or the error message). */
  async function renderInBrowser(page: Page, diagrams: string[]): Promise<Array<{ ok: boolean; text: string; svg: string }>> {
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ path: MERMAID_JS });
    return page.evaluate(async (sources) => {
      const mermaid = (window as unknown as { mermaid: { initialize(o: object): void; parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      const out = [];
      for (const [i, source] of sources.entries()) {
        try {
          await mermaid.parse(source);
          const { svg } = await mermaid.render(`d${i}`, source);
          const holder = document.createElement('div');
          holder.innerHTML = svg;
          out.push({ ok: true, text: holder.textContent ?? '', svg });
        } catch (err) {
          out.push({ ok: false, text: String((err as Error).message ?? err), svg: '' });
        }
      }
      return out;
    }, diagrams);
  }

  it('parses and renders the diagrams show writes, hostile labels included, and shows their text as text', async () => {
    const failing = (await runCli(['show', FAILING, EXAMPLES, '--format', 'mermaid'])).stdout;
    const hostile = (await runCli(['show', HOSTILE_TRACE, HOSTILE_LOGS, '--format', 'mermaid'])).stdout;
    const spans: SpanSpec[] = [{ id: 'root', service: 'gateway', start: 0, duration: 1000 }];
    for (let i = 0; i < 300; i++) spans.push({ id: `s${i}`, parent: 'root', service: `svc-${i % 9}`, name: `op ${i}`, start: i, duration: 1 });
    const capped = renderMermaidSequence(makeTrace({ spans }));
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const [a, b, c] = await renderInBrowser(page, [failing, hostile, capped]);
    expect(a).toMatchObject({ ok: true });
    expect(a!.text).toContain('fraud-check');
    expect(a!.text).toContain('503 · 4.6ms ✖');
    expect(a!.text).toContain('✖ error origin: fraud.features.FeatureStoreUnavailable: redis fraud-features:6379 connection refused');
    expect(b).toMatchObject({ ok: true });
    // Entity codes come back as the logged characters, as text, not as markup or statements.
    expect(b!.text).toContain('pay<b>ment</b>;#svc');
    expect(b!.text).toContain('card store said <script>window.__pwned = "script"; alert(1)</script>');
    expect(b!.svg).not.toMatch(/<b>|<script|onerror=|onload=/);
    expect(b!.text).not.toContain('injected line');
    expect(c).toMatchObject({ ok: true });
    expect(c!.text).toMatch(/\d+ more spans left out/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);

    // The same hostile text unescaped does break the diagram: the escaping is what keeps it whole.
    const raw = hostile.replace('pay#lt;b#gt;ment#lt;/b#gt;#59;#35;svc', 'pay<b>ment</b>;#svc\n  s0->>s9: injected line; end');
    const [broken] = await renderInBrowser(page, [raw]);
    expect(broken!.ok === false || broken!.text.includes('injected line')).toBe(true);
    await page.close();
  });
});
