// Stack-trace lines printed outside the JSON, as data: which non-JSON line continues the record
// before it. Runtimes print an uncaught error as plain text after the app's last JSON line:
//   Python:  Traceback (most recent call last): / `  File "…", line N, in f` / `    code` / `ValueError: bad`
//   Java:    `java.lang.X: msg` / `\tat com.x.Y.z(Y.java:1)` / `Caused by: …` / `\t... 12 more` / `Suppressed: …`
//            (the `at` row also takes Node's and .NET's frames)
//   Go:      `panic: boom` / `goroutine 1 [running]:` / `main.main()` / `\t/app/main.go:5 +0x1d`
// Rows marked `after: 'any'` may start a trace right after a record; the others only go on one
// that a row of their family started, because on their own (`    x = 1`, `main.main()`,
// `KeyError: 'a'`) they are too plain to tell from an ordinary text line.
// Only lines that failed to parse as JSON are tested, so the regexes cost nothing on JSON lines.

/** Which kind of trace is open, so the next line is judged by that family's rows. */
export type TraceFamily = 'python' | 'python-end' | 'java' | 'go';

interface ContinuationRow {
  what: string;
  pattern: RegExp;
  /** The families this row may follow; 'any' also allows it straight after a record. */
  after: 'any' | readonly TraceFamily[];
  /** The family the trace is in after this line. */
  then: TraceFamily;
}

export const CONTINUATION_ROWS: readonly ContinuationRow[] = [
  // Python
  { what: 'python traceback header', pattern: /^Traceback \(most recent call last\):$/, after: 'any', then: 'python' },
  { what: 'python exception group header', pattern: /^ *\+ Exception Group Traceback \(most recent call last\):$/, after: 'any', then: 'python' },
  { what: 'python frame', pattern: /^ {2,}(?:\| +)?File "[^"]*", line \d+/, after: 'any', then: 'python' },
  { what: 'python source line or caret marker', pattern: /^ {4,}\S/, after: ['python'], then: 'python' },
  { what: 'python exception group box', pattern: /^ {2,}[|+]/, after: ['python'], then: 'python' },
  { what: 'python exception line', pattern: /^[A-Za-z_][\w.]*(?::(?: .*)?)?$/, after: ['python'], then: 'python-end' },
  {
    what: 'python chained exception',
    pattern: /^(?:During handling of the above exception, another exception occurred|The above exception was the direct cause of the following exception):$/,
    after: ['python-end'],
    then: 'python-end',
  },
  // Java (frames also Node and .NET)
  { what: 'java uncaught exception', pattern: /^Exception in thread "[^"]*" \S/, after: 'any', then: 'java' },
  { what: 'java exception line', pattern: /^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)(?::.*)?$/, after: 'any', then: 'java' },
  { what: 'stack frame', pattern: /^\s+at (?:async |new )?\S+ ?\(.*\)|^\s+at (?:async )?\S+:\d+:\d+$/, after: 'any', then: 'java' },
  { what: 'java cause', pattern: /^\s*Caused by: \S/, after: 'any', then: 'java' },
  { what: 'java suppressed', pattern: /^\s*Suppressed: \S/, after: 'any', then: 'java' },
  { what: 'java elided frames', pattern: /^\s+\.\.\. \d+ (?:more|common frames omitted)$/, after: 'any', then: 'java' },
  // Go
  { what: 'go panic', pattern: /^panic: /, after: 'any', then: 'go' },
  { what: 'go fatal error', pattern: /^fatal error: /, after: 'any', then: 'go' },
  { what: 'go goroutine header', pattern: /^goroutine \d+ [^[]*\[[^\]]*\]:$/, after: 'any', then: 'go' },
  { what: 'go signal', pattern: /^\[signal /, after: ['go'], then: 'go' },
  { what: 'go frame location', pattern: /^\t\S/, after: ['go'], then: 'go' },
  { what: 'go function', pattern: /^[^\s(]\S*\(.*\)$/, after: ['go'], then: 'go' },
  { what: 'go created by', pattern: /^created by \S/, after: ['go'], then: 'go' },
  { what: 'go exit status', pattern: /^exit status \d+$/, after: ['go'], then: 'go' },
];

/**
 * The family a line continues (or starts), given the family of the trace open so far (null: the
 * line would follow the record itself). Null when the line is not a stack-trace continuation.
 */
export function continuationFamily(text: string, open: TraceFamily | null): TraceFamily | null {
  for (const row of CONTINUATION_ROWS) {
    if (row.after !== 'any' && (open === null || !row.after.includes(open))) continue;
    if (row.pattern.test(text)) return row.then;
  }
  return null;
}
