#!/usr/bin/env node
// Makes the README's pictures, in docs/img/, from the built CLI (`npm run build` first) and the
// bundled examples:
//   html-view.png  `show --format html` of the failing example trace, opened in chromium, its
//                  error origin selected;
//   tui.png        the interactive view (`show -i`), run in tmux (a private server, `-L shots`),
//                  captured with its colours and drawn in chromium. Skipped, saying so, while the
//                  build has no `show --interactive`.
//
//   node scripts/screenshots.mjs [html] [tui]   (both by default; CHROMIUM_PATH=… when chromium
//                                               is not /usr/bin/chromium)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ansiToHtml } from './lib/ansi-to-html.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs/img');
const BIN = join(ROOT, 'bin/mcp-trace.js');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = 'examples/*.log*';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'mcp-trace-shots-'));

if (!existsSync(CHROMIUM)) {
  console.error(`no chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const wanted = process.argv.slice(2);
try {
  if (wanted.length === 0 || wanted.includes('html')) await htmlView();
  if (wanted.length === 0 || wanted.includes('tui')) await terminalView();
} finally {
  await browser.close();
}

async function htmlView() {
  const html = execFileSync(process.execPath, [BIN, 'show', TRACE, EXAMPLES, '--format', 'html'], { cwd: ROOT, encoding: 'utf8' });
  const file = join(work, 'trace.html');
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 560 }, colorScheme: 'light' });
  await page.goto(pathToFileURL(file).href);
  await page.locator('.row.origin').click();
  await page.screenshot({ path: join(OUT, 'html-view.png') });
  await page.close();
  console.log('wrote docs/img/html-view.png');
}

async function terminalView() {
  const help = execFileSync(process.execPath, [BIN, 'show', '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (!help.includes('--interactive')) {
    console.log('skipped docs/img/tui.png: this build has no `show --interactive` yet');
    return;
  }
  if (spawnSync('tmux', ['-V']).status !== 0) {
    console.log('skipped docs/img/tui.png: no tmux (apt-get install tmux)');
    return;
  }
  const tmux = (...args) => execFileSync('tmux', ['-L', 'shots', ...args], { cwd: ROOT, encoding: 'utf8' });
  const command = `${process.execPath} ${BIN} show ${TRACE} '${EXAMPLES}' --interactive`;
  tmux('new-session', '-d', '-s', 'shots', '-x', '120', '-y', '32', '-e', 'TERM=xterm-256color', '-e', 'COLORTERM=truecolor', command);
  try {
    const screen = await settledScreen(tmux);
    // Jump to the error origin, so the details pane shows the span people came for.
    tmux('send-keys', '-t', 'shots', 'e');
    const withOrigin = await settledScreen(tmux, screen);
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, deviceScaleFactor: 1 });
    await page.setContent(ansiToHtml(withOrigin, { title: 'mcp-trace show -i' }));
    await page.locator('pre').screenshot({ path: join(OUT, 'tui.png') });
    await page.close();
    console.log('wrote docs/img/tui.png');
  } finally {
    tmux('kill-session', '-t', 'shots');
  }
}

/** The pane once it has stopped changing (and differs from `before`), with its colours. */
async function settledScreen(tmux, before = null) {
  let last = null;
  for (let i = 0; i < 50; i++) {
    await new Promise((done) => setTimeout(done, 200));
    const now = tmux('capture-pane', '-t', 'shots', '-e', '-p');
    if (now === last && now.trim() !== '' && now !== before) return now;
    last = now;
  }
  return last ?? '';
}
