import { useInput, type Key } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { ScreenLines } from './ScreenLines.js';
import type { TraceList } from '../analyse/trace-list.js';
import type { Painter } from '../render/palette.js';
import { sanitizeMessage } from '../render/sanitize.js';
import type { Leave } from './full-screen.js';
import { keysOf } from './keys.js';
import { listPage, listScreen } from './list-screen.js';
import { followRows, initialListState, reduceList, type ListAction, type ListState } from './list-store.js';
import { useScreenSize } from './screen-size.js';
import type { TraceModel } from './trace-model.js';
import { TraceView } from './TraceView.js';

/** The rows `ui` lists, and, when logs are followed, news of new ones. */
export interface ListFeed {
  current(): TraceList;
  /** What the list is, for its title line: sources, sort, following or not. */
  title(): string;
  /** Calls back when `current()` changed; returns the unsubscribe. Static lists never call. */
  subscribe(onChange: () => void): () => void;
}

export interface ExplorerProps {
  feed: ListFeed;
  /** Reads and analyses one trace for the trace view. */
  open(traceId: string): Promise<TraceModel>;
  paint: Painter;
  copy(text: string): string;
  leave(how: Leave): void;
}

type Screen = { kind: 'list' } | { kind: 'trace'; model: TraceModel };

/**
 * `ui`: the traces list; Enter opens the selected trace in the trace view, Esc comes back to
 * the list where it was. The list follows its feed (new traces while logs are followed).
 */
export function Explorer({ feed, open, paint, copy, leave }: ExplorerProps) {
  const size = useScreenSize();
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [list, setList] = useState(() => feed.current());
  const [state, setState] = useState(() => initialListState(listPage(size.rows)));
  const current = useRef({ list, state, opening: false });
  const update = (next: Partial<typeof current.current>) => {
    current.current = { ...current.current, ...next };
    if (next.list) setList(next.list);
    if (next.state) setState(next.state);
  };
  useEffect(
    () =>
      feed.subscribe(() => {
        const { list: before, state: s } = current.current;
        const after = feed.current();
        update({ list: after, state: followRows(before.rows.map((r) => r.traceId), after.rows.map((r) => r.traceId), s) });
      }),
    [feed],
  );
  useEffect(() => update({ state: reduceList(current.current.list.rows.length, current.current.state, { type: 'resize', page: listPage(size.rows) }) }), [size.rows]);

  const openSelected = () => {
    const { list: rows, state: s } = current.current;
    const row = rows.rows[s.selected];
    if (!row || current.current.opening) return;
    current.current.opening = true;
    update({ state: reduceList(rows.rows.length, s, { type: 'notice', text: 'opening…' }) });
    open(row.traceId).then(
      (model) => {
        current.current.opening = false;
        update({ state: reduceList(rows.rows.length, current.current.state, { type: 'notice', text: null }) });
        setScreen({ kind: 'trace', model });
      },
      (err: unknown) => {
        current.current.opening = false;
        const message = err instanceof Error ? err.message : String(err);
        update({ state: reduceList(rows.rows.length, current.current.state, { type: 'notice', text: sanitizeMessage(message) }) });
      },
    );
  };

  useInput(
    (input, inkKey) => {
      let s: ListState = current.current.state;
      const rowCount = current.current.list.rows.length;
      for (const [text, key] of keysOf(input, inkKey)) {
        if (key.ctrl && text === 'c') return leave('interrupt');
        if (text === 'q' || key.escape) return leave('quit');
        if (key.return) {
          update({ state: s });
          return openSelected();
        }
        const action = listKey(text, key);
        if (action) s = reduceList(rowCount, s, action);
      }
      update({ state: s });
    },
    { isActive: screen.kind === 'list' },
  );

  if (screen.kind === 'trace') {
    return (
      <TraceView
        key={screen.model.trace.traceId}
        model={screen.model}
        size={size}
        paint={paint}
        copy={copy}
        footer="Esc back"
        onCommand={(command) => (command.type === 'escape' ? setScreen({ kind: 'list' }) : leave(command.type === 'interrupt' ? 'interrupt' : 'quit'))}
      />
    );
  }
  const lines = listScreen(list, state, size, paint, feed.title());
  return <ScreenLines lines={lines} size={size} />;
}

function listKey(input: string, key: Key): ListAction | null {
  if (key.upArrow || input === 'k') return { type: 'move', by: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', by: 1 };
  if (key.pageUp || (key.ctrl && input === 'b')) return { type: 'pageMove', pages: -1 };
  if (key.pageDown || (key.ctrl && input === 'f')) return { type: 'pageMove', pages: 1 };
  if (key.home || input === 'g') return { type: 'first' };
  if (key.end || input === 'G') return { type: 'last' };
  return null;
}
