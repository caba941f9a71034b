import { beforeAll, describe, expect, it } from 'vitest';
import { initialTraceState, reduceTrace, type TraceAction, type TraceViewState } from '../../src/tui/trace-store.js';
import { keysOf, traceKey } from '../../src/tui/keys.js';
import { visibleRows, type TraceModel } from '../../src/tui/trace-model.js';
import type { Key } from 'ink';
import { exampleModel } from './example-trace.js';

// The keys as pure transitions of the store, on the checkout trace of examples/:
//   0 api-gateway POST /api/orders
//   1 └─ order-service POST /v1/orders
//   2    ├─ inventory-service POST /v1/reservations
//   3    └─ payment-service POST /v1/charges
//   4       └─ fraud-check POST /v1/score   (error origin)
let model: TraceModel;
beforeAll(async () => {
  model = await exampleModel();
});

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/** Types keys as a user would (`'/'`, `'pay'`, `{ return: true }`) and returns the state after them. */
function press(state: TraceViewState, ...keys: Array<string | Partial<Key>>): TraceViewState {
  let s = state;
  for (const k of keys) {
    const [input, key] = typeof k === 'string' ? [k, NO_KEY] : ['', { ...NO_KEY, ...k }];
    for (const [text, one] of keysOf(input, key)) {
      const action = traceKey(text, one, s);
      if (action && !['quit', 'interrupt', 'escape', 'copy'].includes(action.type)) s = reduceTrace(model, s, action as TraceAction);
    }
  }
  return s;
}

const names = (s: TraceViewState) => [...visibleRows(model, s.collapsed)].map((i) => model.spans[i]!.service);
const selected = (s: TraceViewState) => model.spans[s.selected]!.service;

describe('trace view keys (store transitions)', () => {
  it('opens fully expanded with the error origin selected', () => {
    const s = initialTraceState(model, 10);
    expect(names(s)).toEqual(['api-gateway', 'order-service', 'inventory-service', 'payment-service', 'fraud-check']);
    expect(selected(s)).toBe('fraud-check');
  });

  it('j/k and the arrows move, and stop at the ends', () => {
    const s = initialTraceState(model, 10);
    expect(selected(press(s, 'k'))).toBe('payment-service');
    expect(selected(press(s, { upArrow: true }, { upArrow: true }))).toBe('inventory-service');
    expect(selected(press(s, 'j', 'j'))).toBe('fraud-check');
    expect(selected(press(s, 'kkkkkkkk'))).toBe('api-gateway');
    expect(selected(press(s, 'g', { downArrow: true }))).toBe('order-service');
  });

  it('h collapses, then goes to the parent; l expands, then goes to the first child', () => {
    let s = press(initialTraceState(model, 10), 'k'); // payment-service
    s = press(s, 'h');
    expect(names(s)).toEqual(['api-gateway', 'order-service', 'inventory-service', 'payment-service']);
    expect(selected(press(s, 'h'))).toBe('order-service');
    s = press(s, 'l');
    expect(names(s)).toContain('fraud-check');
    expect(selected(press(s, 'l'))).toBe('fraud-check');
    // A leaf: h goes straight to the parent.
    expect(selected(press(initialTraceState(model, 10), 'h'))).toBe('payment-service');
  });

  it('Enter toggles; [ collapses all onto the root and ] expands all', () => {
    let s = press(initialTraceState(model, 10), 'g', 'j', { return: true });
    expect(names(s)).toEqual(['api-gateway', 'order-service']);
    s = press(s, { return: true });
    expect(names(s)).toHaveLength(5);
    s = press(s, 'G', '[');
    expect(names(s)).toEqual(['api-gateway']);
    expect(selected(s)).toBe('api-gateway');
    expect(names(press(s, ']'))).toHaveLength(5);
  });

  it('/ searches service, name, message and fields; n/N cycle; a jump expands what hides the match', () => {
    let s = press(initialTraceState(model, 10), 'g', '[');
    s = press(s, '/', 'featurestoreunavail', { return: true }); // in fraud-check's error text only
    expect(s.search.matches.map((i) => model.spans[i]!.service)).toContain('fraud-check');
    expect(selected(s)).toBe('fraud-check');
    expect(names(s)).toContain('fraud-check');
    // A span name (and the caller's line that calls it): from fraud-check the search wraps round.
    s = press(s, '/', 'v1/reservations', { return: true });
    expect(s.search.matches.map((i) => model.spans[i]!.service)).toContain('inventory-service');
    expect(s.search.matches[0]).toBe(s.selected);
    s = press(s, '/', 'POST', { return: true });
    const first = s.selected;
    expect(press(s, 'n').selected).not.toBe(first);
    expect(press(s, 'n', 'N').selected).toBe(first);
    s = press(s, '/', 'no such text anywhere', { return: true });
    expect(s.notice).toContain('no span matches');
  });

  it('Esc ends a search being typed and Backspace erases', () => {
    const s = press(initialTraceState(model, 10), '/', 'payx', { backspace: true });
    expect(s.search).toMatchObject({ editing: true, query: 'pay' });
    expect(press(s, { escape: true }).search.editing).toBe(false);
  });

  it('e jumps to the error origin, E goes through the errors in tree order', () => {
    const s = press(initialTraceState(model, 10), 'g');
    expect(selected(press(s, 'e'))).toBe('fraud-check');
    expect([1, 2, 3, 4].map((n) => selected(press(s, ...Array<string>(n).fill('E'))))).toEqual(['api-gateway', 'order-service', 'payment-service', 'fraud-check']);
  });

  it('c toggles the critical path, ? the help, Tab the pane j/k scroll', () => {
    const s = initialTraceState(model, 10);
    expect(press(s, 'c').critical).toBe(!s.critical);
    expect(press(s, '?').help).toBe(true);
    expect(press(s, '?', 'x').help).toBe(false);
    const details = press(s, { tab: true }, 'j', 'j');
    expect(details).toMatchObject({ focus: 'details', detailsTop: 2, selected: s.selected });
  });

  it('keeps the selection on screen as it moves past the pane', () => {
    const s = press(initialTraceState(model, 2), 'g');
    expect(s.top).toBe(0);
    expect(press(s, 'j', 'j', 'j').top).toBe(2);
    expect(press(s, 'G', 'g').top).toBe(0);
  });
});
