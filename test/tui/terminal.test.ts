import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { HAVE_TMUX, noteIfNoTmux, TmuxTerminal } from '../support/tmux.js';

// `show -i` driven in a real terminal (tmux): what the screen shows after each key, a resize,
// quitting and the terminal given back, Ctrl-C, hostile log text, no colour, copying.
noteIfNoTmux('the interactive view tests in a terminal');

const CHECKOUT = '4bf92f3577b34da6a3ce929d0e0e4736';
const SHOW_I = `node bin/mcp-trace.js show ${CHECKOUT} 'examples/*.log*' -i; echo "exited:$?"`;
const TITLE = `trace ${CHECKOUT} · 21.0ms · 5 spans · 4 errors`;

let term: TmuxTerminal | undefined;
afterEach(() => term?.close());

function open(name: string, columns: number, rows: number, env: Record<string, string> = {}): TmuxTerminal {
  term = new TmuxTerminal(name, columns, rows, env);
  return term;
}

const selectedRow = (screen: string) => screen.split('\n').find((l) => l.startsWith('›')) ?? '';

describe.skipIf(!HAVE_TMUX)('show -i in a terminal (tmux)', () => {
  it('opens expanded on the error origin; j/k, h/l, Enter, [ ], /, n, e, ?, then q gives the terminal back', async () => {
    const t = open('keys', 120, 32);
    t.run(SHOW_I);
    let screen = await t.waitFor((s) => s.includes(TITLE), 'the trace view');
    expect(t.display('#{alternate_on}')).toBe('1');
    for (const service of ['api-gateway', 'order-service', 'inventory-service', 'payment-service', 'fraud-check']) expect(screen).toContain(`${service} POST`);
    expect(selectedRow(screen)).toContain('fraud-check POST /v1/score 503 ✖ ◀ error origin');
    expect(screen).toContain('error: fraud.features.FeatureStoreUnavailable: redis fraud-features:6379 connection refused');

    t.keys('k');
    await t.waitFor((s) => selectedRow(s).includes('payment-service POST /v1/charges'), 'k to select payment-service');
    t.keys('h'); // collapse payment-service: fraud-check is hidden
    screen = await t.waitFor((s) => selectedRow(s).includes('▸ +1'), 'h to collapse');
    expect(screen).not.toContain('fraud-check POST');
    t.keys('l');
    await t.waitFor((s) => s.includes('fraud-check POST') && !s.includes('▸ +1'), 'l to expand');
    t.keys('g', 'Enter'); // collapse the root: one row left
    screen = await t.waitFor((s) => selectedRow(s).includes('api-gateway POST /api/orders 500 ✖ ▸ +4'), 'Enter to collapse the root');
    expect(screen).not.toContain('order-service POST');
    t.keys(']');
    await t.waitFor((s) => s.includes('fraud-check POST'), '] to expand all');
    t.keys('[');
    await t.waitFor((s) => !s.includes('order-service POST') && s.includes('▸ +4'), '[ to collapse all');

    // A word only fraud-check's error holds: the jump expands the collapsed spans above it.
    t.keys('/', 'f', 'e', 'a', 't', 'u', 'r', 'e', 's');
    await t.waitFor((s) => s.includes('/features▏'), 'the search being typed');
    t.keys('Enter');
    screen = await t.waitFor((s) => s.includes('match 1 of 1'), 'the search to jump');
    expect(selectedRow(screen)).toContain('fraud-check POST /v1/score');
    t.keys('/', 'P', 'O', 'S', 'T', 'Enter');
    screen = await t.waitFor((s) => s.includes('match 5 of 5'), 'a search every span matches');
    t.keys('n');
    await t.waitFor((s) => s.includes('match 1 of 5') && selectedRow(s).includes('api-gateway'), 'n to wrap round to the first match');
    t.keys('N');
    await t.waitFor((s) => s.includes('match 5 of 5') && selectedRow(s).includes('fraud-check'), 'N to go back');

    t.keys('e');
    await t.waitFor((s) => selectedRow(s).includes('fraud-check POST'), 'e to jump to the error origin');
    t.keys('?');
    await t.waitFor((s) => s.includes('jump to the error origin') && s.includes('any key closes this'), '? to show the keys');
    t.keys('x');
    await t.waitFor((s) => s.includes('─ details'), 'a key to close the help');

    t.keys('q');
    screen = await t.waitFor((s) => s.includes('exited:0'), 'q to quit with exit 0');
    // The terminal is back as it was: main screen (the command line above, no frame), cursor on, cooked mode.
    expect(t.display('#{alternate_on}')).toBe('0');
    expect(t.display('#{cursor_flag}')).toBe('1');
    expect(screen).toContain(SHOW_I);
    expect(screen).not.toContain(TITLE);
    const modes = join(mkdtempSync(join(tmpdir(), 'mcp-trace-tui-')), 'stty');
    // The quotes keep the typed command line from matching what its output prints.
    t.run(`stty -a > ${modes}; echo stty:"done"`);
    await t.waitFor((s) => s.split('\n').some((l) => l.trim() === 'stty:done'), 'stty to report the modes');
    const stty = readFileSync(modes, 'utf8');
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/);
  });

  it('follows the terminal when it is resized, and fits 80×24', async () => {
    const t = open('resize', 120, 32);
    t.run(SHOW_I);
    await t.waitFor((s) => s.includes(TITLE), 'the trace view');
    t.resize(80, 24);
    const screen = await t.waitFor((s) => s.startsWith('trace ') && s.split('\n')[22]!.startsWith('? keys'), 'the view redrawn at 80×24');
    const lines = screen.split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain(`trace ${CHECKOUT}`);
    expect(lines.findIndex((l) => l.startsWith('? keys'))).toBe(22); // the last line but one: see screen-size.ts
    expect(selectedRow(screen)).toContain('fraud-check POST');
    t.resize(140, 40);
    const wide = await t.waitFor((s) => s.startsWith('trace ') && s.split('\n')[38]!.startsWith('? keys'), 'the view redrawn at 140×40');
    expect(wide).toContain('15.8ms'); // the axis has room for its quarter marks again
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
  });

  it('Ctrl-C ends with 130 and gives the terminal back too', async () => {
    const t = open('ctrlc', 100, 30);
    t.run(SHOW_I);
    await t.waitFor((s) => s.includes(TITLE), 'the trace view');
    t.keys('C-c');
    await t.waitFor((s) => s.includes('exited:130'), 'exit 130 after Ctrl-C');
    expect(t.display('#{alternate_on}')).toBe('0');
    expect(t.display('#{cursor_flag}')).toBe('1');
  });

  it('log text with escape sequences is shown escaped: no clear screen, no title change, no colour from the log', async () => {
    // Written by real pino (corpus/generators/zoo-npm/hostile-terminal.mjs).
    const id = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const file = join(REPO_ROOT, 'test', 'fixtures', 'hostile-terminal', 'evil.log');
    const t = open('hostile', 120, 32);
    t.run(`node bin/mcp-trace.js show ${id} ${file} -i; echo "exited:$?"`);
    const screen = await t.waitFor((s) => s.includes(`trace ${id}`), 'the trace view');
    expect(screen).toContain('evil\\x1b[31m-svc');
    expect(screen).toContain('hello \\x1b[2J\\x1b]0;pwned\\x07 \\u202eevil');
    expect(screen).toContain('error: bad \\x1b]52;c;cHduZWQ=\\x07');
    // The rest of the details: Tab gives j/k to the details pane.
    t.keys('Tab', ...Array<string>(30).fill('j'));
    const scrolled = await t.waitFor((s) => s.includes('at \\x1b[2Jx'), 'the stack trace, scrolled to');
    expect(scrolled).toContain('note=\\u009b31mred');
    expect(scrolled).toContain('boom \\x1b[5mblink');
    expect(t.display('#{pane_title}')).not.toBe('pwned');
    // What the log asked for is not on the screen: no blinking, no red from the service name.
    const painted = t.screen(true);
    expect(painted).not.toMatch(/\u001b\[5m/);
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
  });

  it('with NO_COLOR the screen has no colour, and the selection still shows (›)', async () => {
    const t = open('nocolor', 100, 30, { NO_COLOR: '1' });
    t.run(SHOW_I);
    await t.waitFor((s) => s.includes(TITLE), 'the trace view');
    const painted = t.screen(true);
    expect(painted).not.toMatch(/\u001b\[[0-9;]*m/);
    expect(selectedRow(t.screen())).toContain('fraud-check');
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
  });

  it('y copies the span id with OSC 52 inside tmux with set-clipboard on, and only says it otherwise', async () => {
    const t = open('copy', 120, 32);
    t.tmux('set-option', '-g', 'set-clipboard', 'off');
    t.run(SHOW_I);
    await t.waitFor((s) => s.includes(TITLE), 'the trace view');
    t.keys('y');
    await t.waitFor((s) => s.includes('span 6afeecf5bf4859f0 (copy needs MCP_TRACE_OSC52=1, or tmux with set-clipboard on)'), 'y refusing to copy');
    t.tmux('set-option', '-g', 'set-clipboard', 'on');
    t.keys('y');
    await t.waitFor((s) => s.includes('copied span id 6afeecf5bf4859f0'), 'y copying');
    expect(t.tmux('show-buffer')).toBe('6afeecf5bf4859f0');
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
  });
});

describe('show -i without a terminal', () => {
  it('refuses with exit 2 and names the non-interactive form, before reading anything', async () => {
    const r = await runCli(['show', CHECKOUT, 'examples/*.log*', '-i']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'mcp-trace: the interactive view needs a terminal (standard input and output are not a terminal); run mcp-trace show <traceId> … without -i for the printed tree, or with --json\n',
    );
    expect(r.stdout).toBe('');
  });

  it('-i with --json or another --format is a usage error', async () => {
    for (const extra of [['--json'], ['--format', 'otlp']]) {
      const r = await runCli(['show', CHECKOUT, 'examples/*.log*', '-i', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^mcp-trace: -i opens the interactive view; it does not combine with --/);
    }
  });
});
