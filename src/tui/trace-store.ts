import { searchSpans } from './search.js';
import { ancestors, hasChildren, visibleRows, type TraceModel } from './trace-model.js';

/**
 * The interactive trace view's state, as plain data: which subtrees are collapsed, which span is
 * selected, the search, what is shown. Every key is a pure transition `reduceTrace(model, state,
 * action)`, so the keys are tested without a terminal and the view only draws a state.
 */
export interface TraceViewState {
  /** Spans (indices) whose subtrees are hidden. */
  collapsed: ReadonlySet<number>;
  /** The selected span's index in the trace. */
  selected: number;
  /** The first visible row drawn at the top of the tree pane. */
  top: number;
  /** Rows the tree pane shows; the view sets it from the terminal's size. */
  page: number;
  search: SearchState;
  /** Draw the critical path solid and everything else light (on by default, as in `show`). */
  critical: boolean;
  help: boolean;
  /** Which pane j/k move in: the tree, or the details of the selected span. */
  focus: 'tree' | 'details';
  /** First line of the details pane drawn. */
  detailsTop: number;
  /** Position in `model.errors` that `E` moved to last, -1 before the first `E`. */
  errorCursor: number;
  /** One line for the status bar (a search with no match, a copied id…), cleared by the next key. */
  notice: string | null;
}

export interface SearchState {
  /** Typing a query after `/`. */
  editing: boolean;
  query: string;
  /** Matching spans of the last query entered, in tree order. */
  matches: readonly number[];
}

export type TraceAction =
  | { type: 'move'; by: number }
  | { type: 'pageMove'; pages: number }
  | { type: 'first' }
  | { type: 'last' }
  /** `h`: collapse the selected span, or go to its parent when it is collapsed or a leaf. */
  | { type: 'collapseOrParent' }
  /** `l`: expand the selected span, or go to its first child when it is expanded. */
  | { type: 'expandOrChild' }
  | { type: 'toggle' }
  | { type: 'expandAll' }
  | { type: 'collapseAll' }
  | { type: 'searchStart' }
  | { type: 'searchType'; text: string }
  | { type: 'searchErase' }
  | { type: 'searchCommit' }
  | { type: 'searchCancel' }
  | { type: 'nextMatch'; by: 1 | -1 }
  | { type: 'errorOrigin' }
  | { type: 'nextError' }
  | { type: 'toggleCritical' }
  | { type: 'toggleHelp' }
  | { type: 'toggleFocus' }
  | { type: 'scrollDetails'; by: number }
  | { type: 'resize'; page: number }
  | { type: 'notice'; text: string };

/** Opens fully expanded on the error origin when there is one, else on the first span. */
export function initialTraceState(model: TraceModel, page: number): TraceViewState {
  const state: TraceViewState = {
    collapsed: new Set(),
    selected: 0,
    top: 0,
    page: Math.max(1, page),
    search: { editing: false, query: '', matches: [] },
    critical: true,
    help: false,
    focus: 'tree',
    detailsTop: 0,
    errorCursor: -1,
    notice: model.note ?? null,
  };
  return model.origin >= 0 ? select(model, state, model.origin) : state;
}

export function reduceTrace(model: TraceModel, state: TraceViewState, action: TraceAction): TraceViewState {
  const s: TraceViewState = state.notice !== null && action.type !== 'resize' ? { ...state, notice: null } : state;
  switch (action.type) {
    case 'move':
      return s.focus === 'details' ? scrollDetails(s, action.by) : moveBy(model, s, action.by);
    case 'pageMove':
      return s.focus === 'details' ? scrollDetails(s, action.pages * s.page) : moveBy(model, s, action.pages * s.page);
    case 'first':
      return moveTo(model, s, 0);
    case 'last':
      return moveTo(model, s, Number.MAX_SAFE_INTEGER);
    case 'collapseOrParent': {
      const i = s.selected;
      if (hasChildren(model, i) && !s.collapsed.has(i)) return keepInView(model, { ...s, collapsed: withItem(s.collapsed, i, true) });
      const parent = model.parent[i]!;
      return parent >= 0 ? select(model, s, parent) : s;
    }
    case 'expandOrChild': {
      const i = s.selected;
      if (!hasChildren(model, i)) return s;
      if (s.collapsed.has(i)) return keepInView(model, { ...s, collapsed: withItem(s.collapsed, i, false) });
      return select(model, s, i + 1);
    }
    case 'toggle':
      if (!hasChildren(model, s.selected)) return s;
      return keepInView(model, { ...s, collapsed: withItem(s.collapsed, s.selected, !s.collapsed.has(s.selected)) });
    case 'expandAll':
      return keepInView(model, { ...s, collapsed: new Set() });
    case 'collapseAll': {
      const collapsed = new Set<number>();
      for (let i = 0; i < model.spans.length; i++) if (hasChildren(model, i)) collapsed.add(i);
      // The selection moves up to the root it was under, which stays visible.
      let root = s.selected;
      while (model.parent[root]! >= 0) root = model.parent[root]!;
      return keepInView(model, { ...s, collapsed, selected: root });
    }
    case 'searchStart':
      return { ...s, help: false, search: { ...s.search, editing: true, query: '' } };
    case 'searchType':
      return { ...s, search: { ...s.search, query: s.search.query + action.text } };
    case 'searchErase':
      return { ...s, search: { ...s.search, query: [...s.search.query].slice(0, -1).join('') } };
    case 'searchCancel':
      return { ...s, search: { ...s.search, editing: false } };
    case 'searchCommit': {
      const matches = searchSpans(model, s.search.query);
      const next: TraceViewState = { ...s, search: { editing: false, query: s.search.query, matches } };
      if (s.search.query === '') return next;
      if (matches.length === 0) return { ...next, notice: `no span matches “${s.search.query}”` };
      // The first match at or after the selection, wrapping round, as `/` does in less and vim.
      const target = matches.find((m) => m >= s.selected) ?? matches[0]!;
      return withMatchNotice(select(model, next, target), target);
    }
    case 'nextMatch': {
      const { matches } = s.search;
      if (matches.length === 0) return { ...s, notice: s.search.query ? `no span matches “${s.search.query}”` : 'no search yet: press / to search' };
      const target =
        action.by > 0 ? (matches.find((m) => m > s.selected) ?? matches[0]!) : (findLast(matches, (m) => m < s.selected) ?? matches[matches.length - 1]!);
      return withMatchNotice(select(model, s, target), target);
    }
    case 'errorOrigin':
      if (model.origin >= 0) return select(model, s, model.origin);
      return { ...s, notice: model.errors.length > 0 ? 'no error origin was found' : 'no span failed' };
    case 'nextError': {
      if (model.errors.length === 0) return { ...s, notice: 'no span failed' };
      const cursor = (s.errorCursor + 1) % model.errors.length;
      const next = select(model, { ...s, errorCursor: cursor }, model.errors[cursor]!);
      return { ...next, notice: `error ${cursor + 1} of ${model.errors.length}` };
    }
    case 'toggleCritical':
      return { ...s, critical: !s.critical };
    case 'toggleHelp':
      return { ...s, help: !s.help };
    case 'toggleFocus':
      return { ...s, focus: s.focus === 'tree' ? 'details' : 'tree' };
    case 'scrollDetails':
      return scrollDetails(s, action.by);
    case 'resize':
      return keepInView(model, { ...s, page: Math.max(1, action.page) });
    case 'notice':
      return { ...s, notice: action.text };
  }
}

function withMatchNotice(state: TraceViewState, target: number): TraceViewState {
  const at = state.search.matches.indexOf(target);
  return { ...state, notice: `match ${at + 1} of ${state.search.matches.length}` };
}

/** Selects a span, expanding its ancestors so that it is shown, and scrolls it into view. */
export function select(model: TraceModel, state: TraceViewState, i: number): TraceViewState {
  let collapsed = state.collapsed;
  for (const a of ancestors(model, i)) if (collapsed.has(a)) collapsed = withItem(collapsed, a, false);
  return keepInView(model, { ...state, collapsed, selected: i, detailsTop: i === state.selected ? state.detailsTop : 0 });
}

function moveBy(model: TraceModel, state: TraceViewState, by: number): TraceViewState {
  const rows = visibleRows(model, state.collapsed);
  return moveTo(model, state, rowOf(rows, state.selected) + by);
}

function moveTo(model: TraceModel, state: TraceViewState, row: number): TraceViewState {
  const rows = visibleRows(model, state.collapsed);
  const target = rows[Math.max(0, Math.min(rows.length - 1, row))]!;
  return keepInView(model, { ...state, selected: target, detailsTop: target === state.selected ? state.detailsTop : 0 });
}

function scrollDetails(state: TraceViewState, by: number): TraceViewState {
  return { ...state, detailsTop: Math.max(0, state.detailsTop + by) };
}

/** Scrolls the tree pane so that the selected row is on it, moving as little as possible. */
function keepInView(model: TraceModel, state: TraceViewState): TraceViewState {
  const rows = visibleRows(model, state.collapsed);
  const row = rowOf(rows, state.selected);
  let top = Math.min(state.top, Math.max(0, rows.length - state.page));
  if (row < top) top = row;
  else if (row >= top + state.page) top = row - state.page + 1;
  return top === state.top ? state : { ...state, top };
}

/** The selected span's row among the visible rows (binary search: rows are in tree order). */
export function rowOf(rows: Int32Array, span: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid]! <= span) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function withItem(set: ReadonlySet<number>, item: number, present: boolean): ReadonlySet<number> {
  if (set.has(item) === present) return set;
  const next = new Set(set);
  if (present) next.add(item);
  else next.delete(item);
  return next;
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}
