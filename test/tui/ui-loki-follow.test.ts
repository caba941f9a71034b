import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleEntries } from '../check/loki-entries.js';
import { announceSkip, realLokiMissing, startRealLoki, type PushEntry, type RealLoki } from '../support/real-loki.js';
import { HAVE_TMUX, noteIfNoTmux, TmuxTerminal } from '../support/tmux.js';

// `ui --loki … --follow` against a real Loki 2.8.0 (../shared/loki), in a real terminal (tmux):
// the window's traces first, then a trace pushed while the list is open. One server for the file.
announceSkip('test/tui/ui-loki-follow.test.ts');
noteIfNoTmux('the ui --loki --follow test in a terminal');

/** The checkout trace of the examples: 4 errors, so first with --sort errors. */
const CHECKOUT = '4bf92f3577b34da6a3ce929d0e0e4736';
const NS_PER_MS = 1_000_000n;

let loki: RealLoki | undefined;
let term: TmuxTerminal | undefined;
beforeAll(async () => {
  if (!realLokiMissing && HAVE_TMUX) loki = await startRealLoki();
}, 90_000);
afterAll(async () => {
  await loki?.close();
}, 60_000);
afterEach(() => term?.close());

const selectedRow = (screen: string) => screen.split('\n').find((l) => l.startsWith('›')) ?? '';

/**
 * The example lines as Loki entries stamped `atMs` onwards (the lines keep their own 2025 times,
 * which the rows show); one stream per service, in the lines' order.
 */
function stamped(entries: readonly PushEntry[], atMs: number): PushEntry[] {
  const base = BigInt(atMs) * NS_PER_MS;
  return [...entries].sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0)).map((e, i) => ({ ...e, timeNs: base + BigInt(i) * 1000n }));
}

describe.skipIf(realLokiMissing !== null || !HAVE_TMUX)('ui --loki --follow against a real Loki (tmux)', () => {
  it("lists the window's traces, adds a trace pushed while open, and Enter opens it and a let-go one", async () => {
    const all = exampleEntries();
    const isCheckout = (e: PushEntry) => e.line.includes(CHECKOUT);
    await loki!.push(stamped(all.filter((e) => !isCheckout(e)), Date.now() - 60_000));

    const t = (term = new TmuxTerminal('ui-loki', 120, 30));
    // One trace's lines held: the others are read again from Loki on Enter.
    t.run(`node bin/mcp-trace.js ui --loki ${loki!.url} --follow --since 10m --sort errors --keep-traces 1; echo "exited:$?"`);
    let screen = await t.waitFor((s) => s.includes('following (29 traces so far)'), 'the window of 29 traces', 15_000);
    expect(screen).toContain('traces in Loki · sorted by errors');
    expect(selectedRow(screen)).toContain('8d2c6a91');

    // Stamped after the window's end: the tail starts there, so these arrive whether or not its
    // socket is open yet (its history covers the gap).
    await loki!.push(stamped(all.filter(isCheckout), Date.now()));
    screen = await t.waitFor((s) => s.includes('following (30 traces so far)'), 'the pushed trace in the list', 15_000);
    // It sorts first; the selection stayed on its trace, now the second row.
    expect(selectedRow(screen)).toContain('8d2c6a91');
    expect(screen).toMatch(/^ │ 4bf92f35 .*21\.0ms.*│\s+4 │/m);
    t.keys('k');
    await t.waitFor((s) => selectedRow(s).includes('4bf92f35'), 'k up to the pushed trace');

    t.keys('Enter');
    screen = await t.waitFor((s) => s.startsWith(`trace ${CHECKOUT} · 21.0ms · 5 spans · 4 errors`), 'Enter to open the pushed trace');
    expect(screen).not.toContain('read again');
    t.keys('Escape');
    await t.waitFor((s) => s.includes('sorted by errors'), 'Esc back to the list');

    // The timeout trace came with the window; its lines were let go (one trace held), so Enter
    // asks Loki for it, and says so.
    t.keys('j');
    await t.waitFor((s) => selectedRow(s).includes('8d2c6a91'), 'j to the timeout trace');
    t.keys('Enter');
    screen = await t.waitFor((s) => s.startsWith('trace 8d2c6a91f04e4b7fa3e15c9b07d6e218 · 4.70s · 5 spans · 3 errors'), 'Enter to open a let-go trace', 15_000);
    expect(screen).toContain('read again from Loki');
    expect(selectedRow(screen)).toContain('payment-service POST /v1/charges 504 ✖ ◀ error origin');
    t.keys('q');
    await t.waitFor((s) => s.includes('exited:0'), 'q to quit');
  }, 60_000);
});
