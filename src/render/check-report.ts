import { checkPassed, type AssertionResult, type TraceCheck } from '../check/assertions.js';
import { formatDuration } from './duration.js';
import { tally, tallyLine } from '../check/tally.js';
import { roundMs } from './json.js';
import { makePainter, type Painter } from './palette.js';
import { sanitize } from './sanitize.js';

export interface CheckReportOptions {
  color: boolean;
  colorLevel?: 1 | 2 | 3;
}

const PASS = '✔';
const FAIL = '✘';

/**
 * The human ✔/✘ list: a header per trace, one line per assertion saying what was seen, and for
 * named spec rules also what was expected (a flag's label already says it). A closing tally.
 */
export function renderCheckReport(checks: readonly TraceCheck[], options: CheckReportOptions): string {
  const paint = makePainter(options.color, options.colorLevel);
  const out: string[] = [];
  for (const check of checks) {
    out.push(header(check, paint));
    for (const note of check.notes) out.push(`  ${paint.yellow('!')} ${sanitize(note)}`);
    for (const r of check.results) out.push(`  ${line(r, paint)}`);
  }
  const failed = checks.filter((c) => !checkPassed(c));
  if (checks.length > 1 && failed.length > 0) {
    // With many traces the failures scroll away: they are repeated last, and only they.
    out.push('', paint.bold(`failed (${failed.length} of ${checks.length} traces):`));
    for (const check of failed) {
      out.push(header(check, paint));
      for (const r of check.results) if (!r.passed) out.push(`  ${line(r, paint)}`);
    }
  }
  const t = tally(checks);
  out.push('', t.assertionsFailed > 0 || t.tracesNotFound > 0 ? paint.red(tallyLine(t)) : tallyLine(t));
  return out.join('\n') + '\n';
}

function header(check: TraceCheck, paint: Painter): string {
  const mark = checkPassed(check) ? PASS : paint.red(FAIL);
  if (!check.found) return `${mark} trace ${sanitize(check.traceId)} ${paint.red('not found')}`;
  const errors = check.errorCount ?? 0;
  return [
    `${mark} trace ${paint.bold(sanitize(check.traceId))}`,
    formatDuration(check.durationMs ?? 0),
    `${check.spanCount} span${check.spanCount === 1 ? '' : 's'}`,
    errors > 0 ? paint.red(`${errors} error${errors === 1 ? '' : 's'}`) : '0 errors',
  ].join(' · ');
}

function line(r: AssertionResult, paint: Painter): string {
  const mark = r.passed ? PASS : paint.red(FAIL);
  const named = r.name !== r.check;
  const seen = sanitize(r.seen);
  if (r.passed) return `${mark} ${sanitize(r.name)}: ${paint.dim(seen)}`;
  return `${mark} ${sanitize(r.name)}: ${seen}${named ? paint.dim(`; expected ${sanitize(r.expected)} (${sanitize(r.check)})`) : ''}`;
}

/** `check --json`: the same facts as the list, for scripts. */
export function checkToJson(checks: readonly TraceCheck[]) {
  const t = tally(checks);
  return {
    passed: t.assertionsFailed === 0 && t.tracesNotFound === 0,
    traces: checks.map((c) => ({
      traceId: c.traceId,
      found: c.found,
      passed: checkPassed(c),
      ...(c.found ? { durationMs: roundMs(c.durationMs ?? 0), spanCount: c.spanCount, errorCount: c.errorCount, services: c.services } : {}),
      notes: c.notes,
      assertions: c.results.map((r) => ({ name: r.name, rule: r.rule, check: r.check, passed: r.passed, expected: r.expected, seen: r.seen })),
    })),
    tally: t,
  };
}
