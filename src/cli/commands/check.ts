import { appendFile, writeFile } from 'node:fs/promises';
import { COMMAND_LIST } from '../command-list.js';
import { jsonFormatOption, addColourOptions } from '../flags.js';
import { Command, Option } from 'commander';
import { analyseTrace } from '../../analyse/analyse-trace.js';
import { releasing } from '../../analyse/trace-rows.js';
import { assembleFacts, assembleTrace } from '../../assemble/assemble.js';
import { checkPassed, type Assertion, type TraceCheck } from '../../check/assertions.js';
import { evaluate } from '../../check/evaluate.js';
import { assertionsFromFlags, type AssertionFlags } from '../../check/from-flags.js';
import { RuleValueError } from '../../check/parse-rule.js';
import { loadSpec, SpecError } from '../../check/spec.js';
import { NotFoundError, SourceError, UsageError } from '../../errors.js';
import type { NormaliseOptions } from '../../normalise/normalise.js';
import { MAX_DIAGRAMS, renderCheckMarkdown } from '../../render/check-markdown.js';
import { checkToJson, renderCheckReport } from '../../render/check-report.js';
import { stringifyForTerminal } from '../../render/json.js';
import { renderJunit } from '../../render/junit.js';
import { canonicalTraceId, traceIdLengthProblem } from '../../trace-id.js';
import type { Trace } from '../../types.js';
import { collectTrace, nearestHint } from '../../collect/collect-trace.js';
import { foldTraces } from '../../collect/fold-traces.js';
import { lokiWindowSource, openTraceSource, whereToRead, type SourceFlags, type Where } from '../check-traces-source.js';
import { addLokiOptions, addWindowOptions } from '../loki-options.js';
import { filesAlternative, LOKI_QUERY_FLAGS, refuseLokiOnlyFlags } from '../loki-only-flags.js';
import { pollProgress, pollUntilStable, type PollLook } from '../poll.js';
import { durationArg } from '../flags.js';
import { withReadingProgress } from '../progress.js';
import { openLocalSources } from '../source-options.js';
import { addFieldOptions } from '../field-options.js';
import { refuseSourceAsTraceId } from '../source-not-id.js';
import { chooseColour } from '../colour.js';
import { writeOut } from '../terminal.js';
import { nowNs, resolveTimeWindow } from '../time-window.js';

interface CheckOptions extends AssertionFlags, SourceFlags, NormaliseOptions {
  all?: boolean;
  spec?: string;
  wait?: number;
  pollInterval?: number;
  junit?: string;
  json?: boolean;
  format?: 'json';
  markdown?: boolean;
  color?: boolean;
}

const DEFAULT_POLL_MS = 1000;

export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description(COMMAND_LIST.check.summary)
    .argument('[traceId]', 'the trace to check (omit with --all)')
    .argument('[sources...]', "log files or globs ('-' = standard input; piped input is read when none are named)")
    .option('--all', 'check every trace found (the first argument is then a source)')
    .option('--no-errors', 'no span may fail')
    .option('--max-duration <duration>', 'the trace may take at most this long (800ms, 1s)')
    .option('--expect-service <names>', 'these services must appear (comma-separated; repeatable)', collect)
    .option('--expect-span <service:name>', 'a span must match (name may be a glob: payment-service:charge*; repeatable)', collect)
    .option('--max-span-duration <service:name=duration>', "matching spans may take at most this long ('payment-service:*=300ms'; repeatable)", collect)
    .option('--min-spans <n>', 'the trace must have at least n spans')
    .option('--spec <file>', 'assertions from a YAML file: a list of named rules')
    .option('--wait <duration>', 'poll until the trace appears and stops growing, for up to this long (30s)', durationArg('--wait'))
    .addOption(new Option('--poll-interval <duration>', 'time between polls of --wait').argParser(durationArg('--poll-interval')).hideHelp())
    .option('--junit <file>', 'also write a JUnit XML report (one testsuite per trace, one testcase per assertion)')
    .option('--json', 'print the results as JSON')
    .addOption(jsonFormatOption())
    .option('--markdown', 'print a markdown summary; appended to $GITHUB_STEP_SUMMARY when set');
  addColourOptions(cmd);
  addWindowOptions(cmd);
  addLokiOptions(cmd);
  addFieldOptions(cmd);
  cmd.action(async (first: string | undefined, rest: string[], options: CheckOptions) => {
    if (options.format === 'json') options.json = true;
    const assertions = await readAssertions(options);
    const defaulted = assertionsFromFlags(options).length === 0 && !options.spec;
    const summaryFile = process.env.GITHUB_STEP_SUMMARY || undefined;
    if (options.json && options.markdown && !summaryFile) {
      throw new UsageError('--json and --markdown both print to standard output: pick one, or set GITHUB_STEP_SUMMARY for the markdown');
    }
    let traceId: string | null = null;
    let sourceArgs: string[];
    if (options.all) {
      sourceArgs = first === undefined ? rest : [first, ...rest];
    } else {
      if (first === undefined) throw new UsageError('name the trace to check (mcp-trace check <traceId> [files…]) or use --all');
      await refuseSourceAsTraceId(first, 'check');
      const tooLong = traceIdLengthProblem(first);
      if (tooLong !== null) throw new UsageError(tooLong);
      traceId = canonicalTraceId(first) || first;
      sourceArgs = rest;
    }
    const where = whereToRead(sourceArgs, options);
    if (where.kind === 'local') refuseLokiOnlyFlags(cmd, LOKI_QUERY_FLAGS, filesAlternative);
    if (options.wait !== undefined && where.kind === 'local' && (sourceArgs.length === 0 || sourceArgs.includes('-'))) {
      throw new UsageError('--wait reads the logs again on every poll: name log files or use Loki; standard input can be read only once');
    }
    const poll = { waitMs: options.wait ?? 0, intervalMs: options.pollInterval ?? DEFAULT_POLL_MS };

    const { checks, notFound, failing } =
      traceId === null ? await checkAll(where, assertions, options, poll) : await checkOne(where, traceId, first!, assertions, options, poll);

    if (options.junit) await writeReport(options.junit, renderJunit(checks));
    // The markdown draws each failing trace's calls as a Mermaid diagram.
    const markdown = (): string => renderCheckMarkdown(checks, failing);
    if (options.markdown && summaryFile) await appendReport(summaryFile, markdown());
    if (options.json) await writeOut(stringifyForTerminal(checkToJson(checks)));
    else if (options.markdown && !summaryFile) await writeOut(markdown());
    else if (!notFound || checks.length > 1) await writeOut(renderCheckReport(checks, chooseColour(options.color)));

    if (defaulted && checks.some((c) => c.found)) process.stderr.write('mcp-trace: no assertion given: checked that no span fails (--no-errors)\n');
    if (notFound) throw new NotFoundError(notFound);
    if (!checks.every(checkPassed)) process.exitCode = 1;
  });
}

type Poll = { waitMs: number; intervalMs: number };
/**
 * The verdicts, and the first failing traces (at most MAX_DIAGRAMS, in check order) for the
 * markdown's diagrams: `check --all` over a big file keeps a verdict per trace, not every trace.
 */
type Checked = { checks: TraceCheck[]; notFound: string | null; failing: Trace[] };

async function checkOne(
  where: Where,
  traceId: string,
  typed: string,
  assertions: Assertion[],
  options: CheckOptions,
  poll: Poll,
): Promise<Checked> {
  let notFound = '';
  const outcome = await pollUntilStable(
    async () => {
      const opened = await openTraceSource(where, traceId);
      // The typed id, not its canonical form: 8–31 hex is also a prefix of the whole id.
      const collected = await withReadingProgress((onProgress) => collectTrace(opened.source, typed, options, { onProgress }));
      notFound = opened.notFound(typed, collected.stats) + nearestHint(collected.nearest);
      // The fold and analysis `show` runs: the same spans, durations and errors.
      return collected.records.length === 0 ? null : analyseTrace(assembleTrace(collected.traceId, collected.records, collected.unattached));
    },
    (trace) => lookAt(trace === null ? [] : [trace]),
    { ...poll, progress: poll.waitMs > 0 ? pollProgress(`trace ${typed}`) : undefined },
  );
  if (outcome.value === null) {
    const waited = poll.waitMs > 0 ? ` after waiting ${waitText(poll.waitMs)}` : '';
    return { checks: [{ traceId, found: false, notes: [notFound + waited], results: [] }], notFound: notFound + waited, failing: [] };
  }
  const check = withStability(judge(outcome.value, assertions), outcome.stable, poll);
  return { checks: [check], notFound: null, failing: checkPassed(check) ? [] : [outcome.value] };
}

async function checkAll(where: Where, assertions: Assertion[], options: CheckOptions, poll: Poll): Promise<Checked> {
  let description = '';
  const outcome = await pollUntilStable(
    async () => {
      const source =
        where.kind === 'local' ? await openLocalSources(where.args) : await lokiWindowSource(where, resolveTimeWindow(where.flags, nowNs()));
      description = source.description;
      // Facts, not records: every trace is assembled and analysed as `show` would, judged, and let go.
      const { fold } = await withReadingProgress((onProgress) => foldTraces(source, { ...options, attributes: false }, { onProgress }));
      const judged: Judged = { checks: [], failing: [], spans: 0, lines: 0 };
      for (const facts of releasing(fold.take())) {
        const trace = analyseTrace(assembleFacts(facts));
        const check = judge(trace, assertions);
        judged.checks.push(check);
        judged.spans += trace.spans.length;
        judged.lines += trace.recordCount;
        if (!checkPassed(check) && judged.failing.length < MAX_DIAGRAMS) judged.failing.push(trace);
      }
      return judged;
    },
    (judged) => ({ found: judged.checks.length > 0, ...sizeLook(judged.checks.length, judged.spans, judged.lines) }),
    { ...poll, progress: poll.waitMs > 0 ? pollProgress('traces') : undefined },
  );
  const { checks, failing } = outcome.value;
  if (checks.length === 0) return { checks: [], notFound: `no trace found in ${description} (no line carried a trace id)`, failing: [] };
  return { checks: checks.map((c) => withStability(c, outcome.stable, poll)), notFound: null, failing };
}

/** One read of every trace: a verdict each, the first failing traces, and the sizes polling compares. */
interface Judged {
  checks: TraceCheck[];
  failing: Trace[];
  spans: number;
  lines: number;
}

function judge(trace: Trace, assertions: Assertion[]): TraceCheck {
  return {
    traceId: trace.traceId,
    found: true,
    durationMs: trace.durationMs,
    spanCount: trace.spans.length,
    errorCount: trace.errorCount,
    services: trace.services,
    notes: [],
    results: evaluate(trace, assertions),
  };
}

function withStability(check: TraceCheck, stable: boolean, poll: Poll): TraceCheck {
  return stable ? check : { ...check, notes: [`the trace was still growing when the ${waitText(poll.waitMs)} wait ran out: later spans may be missing`] };
}

/** Found, and a fingerprint of size: traces, spans (as assembled) and lines. */
function lookAt(traces: readonly Trace[]): PollLook {
  let spans = 0;
  let lines = 0;
  for (const trace of traces) {
    spans += trace.spans.length;
    lines += trace.recordCount;
  }
  return { found: traces.length > 0, ...sizeLook(traces.length, spans, lines) };
}

function sizeLook(traces: number, spans: number, lines: number): Omit<PollLook, 'found'> {
  const many = traces === 1 ? '' : `${traces} traces, `;
  return { fingerprint: `${traces}/${spans}/${lines}`, describe: `${many}${spans} spans, ${lines} lines` };
}

async function readAssertions(options: CheckOptions): Promise<Assertion[]> {
  let assertions: Assertion[];
  try {
    assertions = assertionsFromFlags(options);
    if (options.spec) assertions = assertions.concat(await loadSpec(options.spec));
  } catch (err) {
    if (err instanceof RuleValueError || err instanceof SpecError) throw new UsageError(err.message);
    throw err;
  }
  // Nothing asked: a failing trace must not pass in silence. No span may fail (said once a trace is found).
  return assertions.length > 0 ? assertions : assertionsFromFlags({ errors: false });
}

async function writeReport(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (err) {
    throw new SourceError(`cannot write the JUnit report ${path} (${(err as NodeJS.ErrnoException).code ?? 'unwritable'})`);
  }
}

async function appendReport(path: string, text: string): Promise<void> {
  try {
    await appendFile(path, text);
  } catch (err) {
    throw new SourceError(`cannot append to GITHUB_STEP_SUMMARY ${path} (${(err as NodeJS.ErrnoException).code ?? 'unwritable'})`);
  }
}

function waitText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 100) / 10}s`;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
