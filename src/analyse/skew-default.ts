// Apart from analyse-trace.ts so that flags can show the default without loading the analysis
// (a command's flags are defined before anything is read; start-up counts in `show --loki`).

/** The default largest clock-skew correction, as `show --max-skew` documents it. */
export const DEFAULT_MAX_SKEW_MS = 1000;
