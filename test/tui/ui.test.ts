import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { followRows, initialListState, reduceList } from '../../src/tui/list-store.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { HAVE_TMUX, noteIfNoTmux, TmuxTerminal } from '../support/tmux.js';

// `ui`: the traces list, Enter into a trace, Esc back, live follow; in a real terminal (tmux).
noteIfNoTmux('the ui tests in a terminal');

let term: TmuxTerminal | undefined;
afterEach(() => term?.close());

const selectedRow = (screen: string) => screen.split('\n').find((l) => l.startsWith('›')) ?? '';

describe.skipIf(!HAVE_TMUX)('ui in a terminal (tmux)', () => {
  it('lists the traces as `traces` sorts them; Enter opens one, Esc comes back to it, q quits', async () => {
    const t = (term = new TmuxTerminal('ui', 120, 30));
    t.run(`node bin/mcp-trace.js ui 'examples/*.log*' --sort errors; echo "exited:$?"`);
    let screen = await t.waitFor((s) => s.includes('traces in examples/*.log* · sorted by errors'), 'the list');
    // The same first rows as `traces --sort errors`: the checkout (4 errors), then the timeout (3).
    expect(selectedRow(screen)).toMatch(/4bf92f35.*21\.0ms.*│\s+4 │/);
    expect(screen).toMatch(/1\/30\s*$/m);
    t.keys('j');
    await t.waitFor((s) => selectedRow(s).includes('8d2c6a91'), 'j to the next trace');
    t.keys('Enter');
    screen = await t.waitFor((s) => s.startsWith('trace 8d2c6a91f04e4b7fa3e15c9b07d6e218 · 4.70s · 5 spans · 3 errors'), 'Enter to open the trace');
    expect(screen).toContain('Esc back');
    expect(selectedRow(screen)).toContain('payment-service POST /v1/charges 504 ✖ ◀ error origin');
    t.keys('Escape');
    screen = await t.waitFor((s) => s.includes('sorted by errors'), 'Esc back to the list');
    expect(selectedRow(screen)).toContain('8d2c6a91');
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
    expect(t.display('#{alternate_on}')).toBe('0');
  });

  it('--follow adds traces to the list as their lines are written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-ui-'));
    const gateway = readFileSync(join(REPO_ROOT, 'examples/api-gateway.log'), 'utf8').split('\n');
    writeFileSync(join(dir, 'api-gateway.log'), gateway.slice(0, 40).join('\n') + '\n');
    copyFileSync(join(REPO_ROOT, 'examples/order-service.log'), join(dir, 'order-service.log'));
    const t = (term = new TmuxTerminal('follow', 120, 30));
    t.run(`node bin/mcp-trace.js ui '${dir}/*.log' --follow; echo "exited:$?"`);
    const before = await t.waitFor((s) => /following \(\d+ traces so far\)/.test(s), 'the followed list');
    const count = Number(/following \((\d+) traces/.exec(before)![1]);
    expect(count).toBeLessThan(30);
    appendFileSync(join(dir, 'api-gateway.log'), gateway.slice(40).join('\n'));
    await t.waitFor((s) => s.includes('following (30 traces so far)') && /\/30\s*$/m.test(s), 'the new traces in the list');
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
  });

  it('--follow holds the lines of the latest traces only: Enter on another reads it again from the files, whole', async () => {
    const t = (term = new TmuxTerminal('follow-cap', 120, 30));
    // The checkout trace is the first to arrive, so with two traces held its lines are let go.
    t.run(`node bin/mcp-trace.js ui 'examples/*.log*' --follow --sort errors --keep-traces 2; echo "exited:$?"`);
    await t.waitFor((s) => s.includes('following (30 traces so far)'), 'the followed list');
    t.keys('g');
    await t.waitFor((s) => selectedRow(s).includes('4bf92f35'), 'g to the first row');
    t.keys('Enter');
    const screen = await t.waitFor((s) => s.startsWith('trace 4bf92f3577b34da6a3ce929d0e0e4736 · 21.0ms · 5 spans · 4 errors'), 'Enter to open the trace');
    expect(screen).toContain('read again from examples/*.log*: the follow holds the lines of the 2 latest traces only');
    expect(selectedRow(screen)).toContain('fraud-check');
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
  });
});

describe('ui without a terminal', () => {
  it('refuses with exit 2 and names the commands that work without one', async () => {
    const r = await runCli(['ui', 'examples/*.log*']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'mcp-trace: the interactive view needs a terminal (standard input and output are not a terminal); run mcp-trace traces … for the list, then mcp-trace show <traceId> … for one trace\n',
    );
  });

  it('standard input as a source is a usage error: it carries the keys', async () => {
    const r = await runCli(['ui', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ui reads its keys from standard input');
  });
});

describe('the list store', () => {
  it('moves within the rows and keeps the selection in view', () => {
    let s = initialListState(3);
    s = reduceList(10, s, { type: 'move', by: 4 });
    expect(s).toMatchObject({ selected: 4, top: 2 });
    expect(reduceList(10, s, { type: 'last' })).toMatchObject({ selected: 9, top: 7 });
    expect(reduceList(10, s, { type: 'move', by: -99 })).toMatchObject({ selected: 0, top: 0 });
  });

  it('stays on the selected trace when new rows arrive above it', () => {
    const s = reduceList(3, initialListState(10), { type: 'move', by: 1 }); // on "b"
    expect(followRows(['a', 'b', 'c'], ['new', 'a', 'b', 'c'], s).selected).toBe(2);
    expect(followRows(['a', 'b', 'c'], ['a', 'c'], s).selected).toBe(1); // gone: same place
  });
});
