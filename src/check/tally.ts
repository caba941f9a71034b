import { checkPassed, type TraceCheck } from './assertions.js';

export interface CheckTally {
  traces: number;
  tracesFailed: number;
  tracesNotFound: number;
  assertions: number;
  assertionsFailed: number;
}

/** Counts for summary lines and report headers. */
export function tally(checks: readonly TraceCheck[]): CheckTally {
  let assertions = 0;
  let assertionsFailed = 0;
  for (const c of checks) {
    assertions += c.results.length;
    assertionsFailed += c.results.filter((r) => !r.passed).length;
  }
  return {
    traces: checks.length,
    tracesFailed: checks.filter((c) => !checkPassed(c)).length,
    tracesNotFound: checks.filter((c) => !c.found).length,
    assertions,
    assertionsFailed,
  };
}

/** `2 of 3 assertions failed` / `all 3 assertions passed`, with trace counts when there are several. */
export function tallyLine(t: CheckTally): string {
  const parts: string[] = [];
  if (t.traces > 1) parts.push(`${t.traces} traces, ${t.tracesFailed} failed`);
  if (t.tracesNotFound > 0) parts.push(`${t.tracesNotFound} not found`);
  if (t.assertions > 0) {
    parts.push(
      t.assertionsFailed === 0
        ? `all ${t.assertions} assertion${t.assertions === 1 ? '' : 's'} passed`
        : `${t.assertionsFailed} of ${t.assertions} assertion${t.assertions === 1 ? '' : 's'} failed`,
    );
  }
  return parts.join(' · ');
}
