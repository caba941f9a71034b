import { Command, Option } from 'commander';
import { COMMAND_LIST } from '../command-list.js';
import { analyseTrace, type SkewChoice } from '../../analyse/analyse-trace.js';
import { baselineFor, compareWithBaseline, DEFAULT_BASELINE_LIMIT } from '../../analyse/baseline.js';
import { compareTraces, DEFAULT_THRESHOLD, type DiffReport, type NoiseThreshold } from '../../analyse/trace-diff.js';
import { assembleFacts, assembleTrace } from '../../assemble/assemble.js';
import type { TraceFacts } from '../../assemble/trace-facts.js';
import { collectTrace, collectTraces, nearestHint, type CollectedTrace } from '../../collect/collect-trace.js';
import { foldTraces } from '../../collect/fold-traces.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { parseDurationMs } from '../../check/duration.js';
import { traceIdLengthProblem, traceIdMatcher } from '../../trace-id.js';
import { ambiguousPrefixMessage, nearestTraceIds, PrefixCandidates, traceIdPrefix } from '../../trace-prefix.js';
import { listWindow, lokiWindowSource, whereToRead, type SourceFlags } from '../check-traces-source.js';
import { chooseColour } from '../colour.js';
import { chooseDiffOutput, DIFF_FORMATS, DIFF_OUTPUTS, type DiffFormat } from '../diff-outputs.js';
import { countArg, widthArg, addSkewOptions, addColourOptions } from '../flags.js';
import { addLokiOptions, addWindowOptions } from '../loki-options.js';
import { openLokiTraceSource } from '../loki-trace-source.js';
import { localNotFoundMessage } from '../not-found-message.js';
import { withReadingProgress } from '../progress.js';
import { refuseSourceAsTraceId } from '../source-not-id.js';
import { openLocalSources } from '../source-options.js';
import { addFieldOptions, normaliseOptionsFrom } from '../field-options.js';
import { outputWidth, writeOut } from '../terminal.js';
import { notFoundInWindowMessage } from '../time-window.js';
import type { NormaliseOptions } from '../../normalise/normalise.js';

interface DiffOptions extends SourceFlags, NormaliseOptions {
  baseline?: boolean;
  baselineLimit: number;
  threshold: NoiseThreshold;
  json?: boolean;
  format: DiffFormat;
  maxSkew: number;
  skewAdjust: boolean;
  color?: boolean;
  width?: number;
  verbose?: boolean;
}

export function registerDiff(program: Command): void {
  const cmd = program
    .command('diff')
    .description(COMMAND_LIST.diff.summary)
    .argument('<traceA>', 'the trace to compare with (with --baseline: the trace to look at)')
    .argument('[traceB-and-sources...]', "the trace to look at, then log files or globs ('-' = standard input); with --baseline only sources")
    .option('--baseline', 'compare <traceA> with the typical trace of its root operation in the sources (medians)')
    .option('--baseline-limit <n>', 'traces the baseline medians are over, at most', countArg('--baseline-limit'), DEFAULT_BASELINE_LIMIT)
    .addOption(new Option('--threshold <ratio,duration>', 'noise: a change counts only when beyond both').argParser(thresholdArg).default(DEFAULT_THRESHOLD, '20%,1ms'))
    .option('--json', 'the same as --format json: one JSON object with stable names, for scripts')
    .addOption(new Option('--format <format>', DIFF_FORMATS.map((f) => `${f}: ${DIFF_OUTPUTS[f].description}`).join('; ')).choices(DIFF_FORMATS).default('tree'));
  addColourOptions(addSkewOptions(cmd, 'compare')).option('--width <columns>', 'output width (default: terminal width, 100 when piped)', widthArg());
  addFieldOptions(cmd);
  addLokiOptions(cmd);
  addWindowOptions(cmd);
  cmd.action(async (first: string, rest: string[], options: DiffOptions) => {
    const output = chooseDiffOutput(options.format, options.json, cmd.getOptionValueSource('format') === 'cli');
    const skew: SkewChoice = { adjust: options.skewAdjust, maxSkewMs: options.maxSkew };
    await checkTraceId(first);
    let report: DiffReport;
    if (options.baseline) {
      report = await againstBaseline(first, rest, options, skew);
    } else {
      const [second, ...sourceArgs] = rest;
      if (second === undefined) throw new UsageError('diff needs two trace ids (mcp-trace diff <traceA> <traceB> [sources…]), or one with --baseline');
      await checkTraceId(second);
      const [a, b] = await loadTwo(first, second, sourceArgs, options);
      report = compareTraces(analyseTrace(assembleTrace(a.traceId, a.records), skew), analyseTrace(assembleTrace(b.traceId, b.records), skew), options.threshold);
    }
    const colour = chooseColour(options.color);
    await writeOut(await DIFF_OUTPUTS[output].render(report, { ...colour, width: options.width ?? outputWidth() }));
  });
}

async function checkTraceId(id: string): Promise<void> {
  const tooLong = traceIdLengthProblem(id);
  if (tooLong !== null) throw new UsageError(tooLong);
  await refuseSourceAsTraceId(id, 'diff');
}

/**
 * Both traces, read as `show` reads one: from Loki one query each (each id's own window), from
 * files and standard input in one read (standard input can be read only once).
 */
async function loadTwo(first: string, second: string, sourceArgs: string[], options: DiffOptions): Promise<[CollectedTrace, CollectedTrace]> {
  const normalise = normaliseOptionsFrom(options);
  const lokiA = await openLokiTraceSource(first, options, { hasFiles: sourceArgs.length > 0 });
  if (lokiA) {
    const lokiB = (await openLokiTraceSource(second, options, { hasFiles: false }))!;
    const a = await withReadingProgress((onProgress) => collectTrace(lokiA.source, first, normalise, { onProgress }));
    if (a.records.length === 0) throw new NotFoundError(notFoundInWindowMessage(first, lokiA.source.description, lokiA.window));
    const b = await withReadingProgress((onProgress) => collectTrace(lokiB.source, second, normalise, { onProgress }));
    if (b.records.length === 0) throw new NotFoundError(notFoundInWindowMessage(second, lokiB.source.description, lokiB.window));
    return [a, b];
  }
  const source = await openLocalSources(sourceArgs);
  const found = await withReadingProgress((onProgress) => collectTraces(source, [first, second], normalise, { onProgress }));
  for (const [i, typed] of [first, second].entries()) {
    const t = found[i]!;
    if (t.records.length === 0) throw new NotFoundError(localNotFoundMessage(typed, source.description, t.stats) + nearestHint(t.nearest));
  }
  return [found[0]!, found[1]!];
}

/**
 * One read of every trace in the sources (facts only, as `traces` reads): the trace asked for,
 * and the baseline of its root operation from the others.
 */
async function againstBaseline(typed: string, sourceArgs: string[], options: DiffOptions, skew: SkewChoice): Promise<DiffReport> {
  const where = whereToRead(sourceArgs, options);
  const window = listWindow(options, where.kind === 'loki');
  const source = where.kind === 'loki' ? await lokiWindowSource(where, window!) : await openLocalSources(sourceArgs);
  const normalise = { ...normaliseOptionsFrom(options), attributes: false };
  const { fold, stats } = await withReadingProgress((onProgress) => foldTraces(source, normalise, { onProgress }));
  const traces = fold.finish();
  const facts = findTrace(typed, traces);
  if (facts === null) {
    const where = window ? notFoundInWindowMessage(typed, source.description, window) : localNotFoundMessage(typed, source.description, stats);
    throw new NotFoundError(where + nearestHint(nearestTraceIds(typed, traces.map((t) => t.traceId))));
  }
  const target = analyseTrace(assembleFacts(facts), skew);
  const baseline = baselineFor(target, traces, options.baselineLimit, skew);
  if (baseline === null || baseline.traces === 0) {
    throw new NotFoundError(
      `no other trace of the same root operation${baseline ? ` (${baseline.rootService} ${baseline.rootName})` : ''} in ${source.description} to build a baseline from; give more logs, or compare two traces: mcp-trace diff <traceA> <traceB>`,
    );
  }
  return compareWithBaseline(target, baseline, options.threshold);
}

/** The folded trace a typed id names: an exact match, else the one whose id starts with it. */
function findTrace(typed: string, traces: readonly TraceFacts[]): TraceFacts | null {
  const prefix = traceIdPrefix(typed);
  const candidates = prefix === null ? null : new PrefixCandidates<TraceFacts>(prefix);
  const matches = traceIdMatcher(typed);
  for (const t of traces) {
    if (matches(t.traceId)) return t;
    candidates?.offer(t.traceId, t);
  }
  const outcome = candidates?.outcome();
  if (outcome?.kind === 'several') throw new UsageError(ambiguousPrefixMessage(typed.trim(), outcome));
  return outcome?.kind === 'one' ? candidates!.records()[0]! : null;
}

/** `20%,1ms`, `10%`, `5ms`: a change counts only when beyond every part given. */
function thresholdArg(value: string): NoiseThreshold {
  const threshold: NoiseThreshold = { ratio: 0, ms: 0 };
  const parts = value.split(',').map((p) => p.trim());
  for (const part of parts) {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(part);
    const ms = pct ? null : parseDurationMs(part);
    if (pct) threshold.ratio = Number(pct[1]) / 100;
    else if (ms !== null && /[a-zµ]/i.test(part)) threshold.ms = ms;
    else throw new UsageError(`--threshold takes a percentage and a duration such as 20%,1ms (either alone works), not '${value}'`);
  }
  return threshold;
}
