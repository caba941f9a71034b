import type { Key } from 'ink';
import type { TraceAction, TraceViewState } from './trace-store.js';

/** What a key asks of the program rather than of the view's state. */
export type Command = { type: 'quit' } | { type: 'interrupt' } | { type: 'escape' } | { type: 'copy' };

/**
 * The keys of the trace view (otel-tui's and Jaeger's conventions), as a table from what Ink read
 * to an action on the store or a command for the program. Pure, so every key is tested as a
 * transition. While a search is typed, keys are text until Enter or Esc.
 */
export function traceKey(input: string, key: Key, state: TraceViewState): TraceAction | Command | null {
  if (key.ctrl && input === 'c') return { type: 'interrupt' };
  if (state.search.editing) {
    if (key.return) return { type: 'searchCommit' };
    if (key.escape) return { type: 'searchCancel' };
    if (key.backspace || key.delete) return { type: 'searchErase' };
    if (input !== '' && !key.ctrl && !key.meta && !isControl(input)) return { type: 'searchType', text: input };
    return null;
  }
  if (state.help) {
    // Any key closes the help; q and Ctrl-C still do what they say.
    return input === 'q' ? { type: 'quit' } : { type: 'toggleHelp' };
  }
  if (key.escape) return { type: 'escape' };
  if (key.upArrow) return { type: 'move', by: -1 };
  if (key.downArrow) return { type: 'move', by: 1 };
  if (key.leftArrow) return { type: 'collapseOrParent' };
  if (key.rightArrow) return { type: 'expandOrChild' };
  if (key.pageUp || (key.ctrl && input === 'b')) return { type: 'pageMove', pages: -1 };
  if (key.pageDown || (key.ctrl && input === 'f')) return { type: 'pageMove', pages: 1 };
  if (key.home) return { type: 'first' };
  if (key.end) return { type: 'last' };
  if (key.return) return { type: 'toggle' };
  if (key.tab) return { type: 'toggleFocus' };
  return CHARACTER_KEYS[input] ?? null;
}

const CHARACTER_KEYS: Readonly<Record<string, TraceAction | Command>> = {
  j: { type: 'move', by: 1 },
  k: { type: 'move', by: -1 },
  h: { type: 'collapseOrParent' },
  l: { type: 'expandOrChild' },
  ' ': { type: 'toggle' },
  g: { type: 'first' },
  G: { type: 'last' },
  ']': { type: 'expandAll' },
  '[': { type: 'collapseAll' },
  '/': { type: 'searchStart' },
  n: { type: 'nextMatch', by: 1 },
  N: { type: 'nextMatch', by: -1 },
  e: { type: 'errorOrigin' },
  E: { type: 'nextError' },
  c: { type: 'toggleCritical' },
  y: { type: 'copy' },
  q: { type: 'quit' },
  '?': { type: 'toggleHelp' },
};

/** The keys as the help screen and the README list them. */
export const KEY_HELP: ReadonlyArray<readonly [string, string]> = [
  ['j k ↑ ↓', 'move (PgUp PgDn g G: page, first, last)'],
  ['h ←', 'collapse, or go to the parent'],
  ['l →', 'expand, or go to the first child'],
  ['Enter Space', 'collapse or expand'],
  ['] [', 'expand all, collapse all'],
  ['/', 'search service, name, message and fields'],
  ['n N', 'next, previous match'],
  ['e', 'jump to the error origin'],
  ['E', 'next error'],
  ['c', 'critical path on or off'],
  ['Tab', 'j/k scroll the details pane (Tab again: the tree)'],
  ['y', 'copy the span id (OSC 52, see README)'],
  ['q Esc', 'quit (ui: Esc goes back to the list)'],
  ['?', 'these keys'],
];

/**
 * The keys in what Ink read at once. Ink hands over a chunk of plain text in one call (a paste,
 * or keys typed faster than it reads: `kk`, `/pay⏎`); each character of it is a key here, so
 * `jjj` moves three rows. Escape sequences (arrows, pages) come alone and stay as they are.
 */
export function keysOf(input: string, key: Key): Array<[string, Key]> {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  const plain: Key = { ...key, return: false, tab: false, backspace: false, delete: false, escape: false, shift: false };
  return chars.map((ch): [string, Key] => {
    if (ch === '\r' || ch === '\n') return ['', { ...plain, return: true }];
    if (ch === '\t') return ['', { ...plain, tab: true }];
    if (ch === '\u007f' || ch === '\b') return ['', { ...plain, backspace: true }];
    return [ch, { ...plain, shift: /[A-Z]/.test(ch) }];
  });
}

function isControl(input: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f]/.test(input);
}

export function isCommand(value: TraceAction | Command): value is Command {
  return value.type === 'quit' || value.type === 'interrupt' || value.type === 'escape' || value.type === 'copy';
}
