/**
 * What a renderer needs to know about the terminal. The command decides these (TTY, NO_COLOR,
 * --color, columns) and passes them in; renderers never look at the environment themselves.
 */
export interface RenderOptions {
  /** Write ANSI colours. With false the output contains no escape codes at all. */
  color: boolean;
  /** Columns available; no rendered line is wider (100 when piped). */
  width: number;
  /** `show --logs`: print each span's log lines under its row. */
  logs?: boolean;
  /** Renderers never read the clock: output depends on the trace only. */
  now?: never;
  /** Chalk colour level when `color` is true (1 = 16 colours, 2 = 256, 3 = truecolor); default 2. */
  colorLevel?: 1 | 2 | 3;
  /** Span ids on the critical path (issue 6): their bars are drawn solid, the others light. */
  criticalPath?: ReadonlySet<string>;
  /**
   * Finer than `criticalPath`: per span id, the [startNs, endNs) sections of the span that are on
   * the critical path; only those parts of its bar are drawn solid.
   */
  criticalSections?: ReadonlyMap<string, ReadonlyArray<readonly [bigint, bigint]>>;
}
