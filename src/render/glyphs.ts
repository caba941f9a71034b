/**
 * Every symbol the tree view draws, in one table, so the legend, the rows and the tests agree.
 * All are one column wide in string-width and readable without colour.
 */
export const GLYPH = {
  branch: '├─ ',
  lastBranch: '└─ ',
  /** An edge whose parent was inferred from timing rather than logged. */
  inferredBranch: '├~ ',
  inferredLastBranch: '└~ ',
  pipe: '│  ',
  blank: '   ',
  /** Stands for ancestor levels left out when the tree is deeper than the label column. */
  deep: '⋯ ',
  error: '✖',
  errorOrigin: '◀ error origin',
  errorOriginShort: '◀ origin',
  skew: '⇆',
  outlives: '↷ outlived caller',
  outlivesShort: '↷ outlived',
  placeholder: '(never logged)',
  bar: '█',
  /** Bar cells off the critical path, when the critical path is known. */
  barOffPath: '░',
  /** A placeholder's interval is only implied by its children. */
  barPlaceholder: '┄',
  /** A span with no measurable duration. */
  tick: '┃',
  warning: '!',
  /** On a row: a 4xx answer or a warn-level line, worth a look but no failure. */
  warningMark: '⚠',
} as const;

/** Width of one tree level in the gutter. */
export const GUTTER_STEP = 3;
