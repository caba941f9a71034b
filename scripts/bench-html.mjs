#!/usr/bin/env node
// The HTML export at scale, on the built dist (`npm run build` first) and Debian's chromium:
// for a bushy 10 000-span trace (and 100 000), the page's size, the time to write it, and in the
// browser the time until the first rows are drawn, a search over every span, a jump to the
// bottom, and how many rows the DOM holds. Target: the 10 000-span page opens in under 1 s and
// answers a search in under 200 ms.
//
//   node scripts/bench-html.mjs            (CHROMIUM_PATH=… when chromium is not /usr/bin/chromium)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { bushyRecords } from './bench-analysis.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { renderHtml } = await import(pathToFileURL(path.join(DIST, 'render/html/export-html.js')).href);
const { criticalPath } = await import(pathToFileURL(path.join(DIST, 'analyse/critical-path.js')).href);
const { assembleTrace } = await import(pathToFileURL(path.join(DIST, 'assemble/assemble.js')).href);
const { analyseTrace } = await import(pathToFileURL(path.join(DIST, 'analyse/analyse-trace.js')).href);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const work = mkdtempSync(path.join(tmpdir(), 'mcp-trace-bench-html-'));

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const n of [10_000, 100_000]) {
    // The one trace model: records → assembleTrace → analyseTrace, as `show` builds it.
    const trace = analyseTrace(assembleTrace('bench', bushyRecords(n)), { adjust: true, maxSkewMs: 1000 });
    const t0 = performance.now();
    const html = renderHtml(trace, criticalPath(trace));
    const writeMs = performance.now() - t0;
    const file = path.join(work, `trace-${n}.html`);
    writeFileSync(file, html);

    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const t1 = performance.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('.row');
    const openMs = performance.now() - t1;
    const searchMs = await page.evaluate(async () => {
      const box = document.getElementById('search');
      box.value = 'op-42';
      const start = performance.now();
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      await new Promise(requestAnimationFrame);
      return performance.now() - start;
    });
    const matches = await page.locator('#match-count').textContent();
    const scrollMs = await page.evaluate(async () => {
      const rows = document.getElementById('rows');
      const start = performance.now();
      rows.scrollTop = rows.scrollHeight;
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      return performance.now() - start;
    });
    const domRows = await page.locator('.row').count();
    await page.close();
    console.log(
      `${n} spans: page ${(html.length / 2 ** 20).toFixed(1)} MiB written in ${Math.round(writeMs)} ms; ` +
        `opened (first rows drawn) in ${Math.round(openMs)} ms; search (${matches}) ${Math.round(searchMs)} ms; ` +
        `jump to the bottom ${Math.round(scrollMs)} ms; ${domRows} rows in the DOM`,
    );
  }
} finally {
  await browser.close();
}
