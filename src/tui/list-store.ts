/**
 * The `ui` trace list's state, as plain data: the selected row and the first row shown. Rows
 * come and go while logs are followed; the selection stays on its trace when it can.
 */
export interface ListState {
  selected: number;
  top: number;
  /** Rows the list pane shows; set from the terminal's size. */
  page: number;
  /** One line for the status bar, cleared by the next key. */
  notice: string | null;
}

export type ListAction =
  | { type: 'move'; by: number }
  | { type: 'pageMove'; pages: number }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'resize'; page: number }
  | { type: 'notice'; text: string | null };

export function initialListState(page: number): ListState {
  return { selected: 0, top: 0, page: Math.max(1, page), notice: null };
}

export function reduceList(rowCount: number, state: ListState, action: ListAction): ListState {
  const s = state.notice !== null && action.type !== 'resize' && action.type !== 'notice' ? { ...state, notice: null } : state;
  switch (action.type) {
    case 'move':
      return inView(rowCount, { ...s, selected: s.selected + action.by });
    case 'pageMove':
      return inView(rowCount, { ...s, selected: s.selected + action.pages * s.page });
    case 'first':
      return inView(rowCount, { ...s, selected: 0 });
    case 'last':
      return inView(rowCount, { ...s, selected: rowCount - 1 });
    case 'resize':
      return inView(rowCount, { ...s, page: Math.max(1, action.page) });
    case 'notice':
      return { ...s, notice: action.text };
  }
}

/**
 * After the rows changed (a live list): keep the selection on the trace it was on, found by id
 * in the new rows, else on the same position.
 */
export function followRows(previous: readonly string[], next: readonly string[], state: ListState): ListState {
  const id = previous[state.selected];
  const at = id === undefined ? -1 : next.indexOf(id);
  return inView(next.length, { ...state, selected: at >= 0 ? at : state.selected });
}

function inView(rowCount: number, state: ListState): ListState {
  const selected = Math.max(0, Math.min(rowCount - 1, state.selected));
  let top = Math.max(0, Math.min(state.top, rowCount - state.page));
  if (selected < top) top = selected;
  else if (selected >= top + state.page) top = selected - state.page + 1;
  return { ...state, selected: Math.max(0, selected), top: Math.max(0, top) };
}
