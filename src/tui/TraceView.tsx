import { useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { ScreenLines } from './ScreenLines.js';
import type { Painter } from '../render/palette.js';
import { isCommand, keysOf, traceKey, type Command } from './keys.js';
import type { TraceModel } from './trace-model.js';
import { paneHeights, traceScreen, type ScreenSize } from './trace-screen.js';
import { initialTraceState, reduceTrace, type TraceViewState } from './trace-store.js';

export interface TraceViewProps {
  model: TraceModel;
  size: ScreenSize;
  paint: Painter;
  /** Quit, interrupt and Esc, for the program to act on. */
  onCommand(command: Exclude<Command, { type: 'copy' }>): void;
  /** Copies text to the clipboard if it can; returns what to tell the user. */
  copy(text: string): string;
  /** The status bar's word for leaving: `q quit`, or `Esc back` in `ui`. */
  footer?: string;
}

/**
 * The trace view: the store's state drawn as the screen's lines (trace-screen.ts), and keys
 * turned into the store's actions (keys.ts). Nothing here decides anything itself.
 */
export function TraceView({ model, size, paint, onCommand, copy, footer }: TraceViewProps) {
  const page = paneHeights(size.rows).tree;
  const [state, setState] = useState(() => initialTraceState(model, page));
  // The state as of the last key, not the last render: keys read in one chunk apply in order.
  const current = useRef<TraceViewState>(state);
  const update = (next: TraceViewState) => {
    current.current = next;
    setState(next);
  };
  useEffect(() => update(reduceTrace(model, current.current, { type: 'resize', page })), [page]);
  useInput((input, inkKey) => {
    let s = current.current;
    for (const [text, key] of keysOf(input, inkKey)) {
      const action = traceKey(text, key, s);
      if (action === null) continue;
      if (!isCommand(action)) s = reduceTrace(model, s, action);
      else if (action.type === 'copy') s = reduceTrace(model, s, { type: 'notice', text: copy(model.spans[s.selected]!.spanId) });
      else {
        update(s);
        return onCommand(action);
      }
    }
    update(s);
  });
  const lines = traceScreen(model, state, size, paint, footer);
  return <ScreenLines lines={lines} size={size} />;
}
