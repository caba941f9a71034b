import { Command, Option } from 'commander';
import { COMMAND_LIST } from '../command-list.js';
import { UsageError } from '../../errors.js';
import { traceIdLengthProblem } from '../../trace-id.js';
import { widthArg, addSkewOptions, addColourOptions } from '../flags.js';
import { addLokiOptions, addWindowOptions } from '../loki-options.js';
import { filesAlternative, LOKI_QUERY_FLAGS, refuseLokiOnlyFlags, withoutLinkFlags } from '../loki-only-flags.js';
import { openLokiTraceSource, type LokiTraceFlags } from '../loki-trace-source.js';
import { addFieldOptions } from '../field-options.js';
import { chooseShowOutput, SHOW_FORMATS, SHOW_OUTPUTS, type ShowFormat } from '../show-outputs.js';
import { requireTerminal } from '../require-terminal.js';
import { refuseSourceAsTraceId } from '../source-not-id.js';
import { addGrafanaOptions, resolveGrafana, type GrafanaFlags } from '../grafana-options.js';

// Only what defines the flags and opens a Loki source is imported here; reading, analysis and
// rendering live in show-compose.ts, loaded once the first Loki requests are out.

export interface ShowOptions extends LokiTraceFlags, GrafanaFlags {
  json?: boolean;
  interactive?: boolean;
  format: ShowFormat;
  maxSkew: number;
  skewAdjust: boolean;
  criticalPath?: boolean;
  stats?: boolean;
  logs?: boolean;
  color?: boolean;
  width?: number;
  traceField?: string;
  spanField?: string;
  parentField?: string;
  serviceField?: string;
}

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description(COMMAND_LIST.show.summary)
    .argument('<traceId>', 'trace id: 32 or 16 hex, UUID, <unix-ms>-<hex>, Datadog decimal…')
    .argument('[sources...]', "log files or globs ('-' = standard input; piped input is read when none are named)")
    .option('--json', 'the same as --format json: one JSON object with stable names, for scripts')
    .addOption(new Option('--format <format>', SHOW_FORMATS.map((f) => `${f}: ${SHOW_OUTPUTS[f].description}`).join('; ')).choices(SHOW_FORMATS).default('tree'))
    .option('-i, --interactive', 'explore the trace full screen: collapse, search, details of each span (needs a terminal)')
    .option('--logs', "print each span's log lines under it (with --json: include them)");
  addSkewOptions(cmd, 'show')
    .option('--critical-path', "also list the critical path with each span's share of the trace")
    .option('--stats', 'also print per-service and per-operation timing tables');
  addColourOptions(cmd).option('--width <columns>', 'output width (default: terminal width, 100 when piped)', widthArg());
  addFieldOptions(cmd);
  addLokiOptions(cmd);
  addWindowOptions(cmd);
  addGrafanaOptions(cmd);
  cmd.action(async (traceIdArg: string, sourceArgs: string[], options: ShowOptions) => {
    const formatGiven = cmd.getOptionValueSource('format') === 'cli';
    if (options.interactive && (options.json || (formatGiven && options.format !== 'interactive'))) {
      throw new UsageError(`-i opens the interactive view; it does not combine with ${options.json ? '--json' : `--format ${options.format}`}`);
    }
    const output = chooseShowOutput(options.interactive ? 'interactive' : options.format, options.json, options, formatGiven);
    if (output === 'interactive') requireTerminal('run mcp-trace show <traceId> … without -i for the printed tree, or with --json');
    const grafana = resolveGrafana(options);
    const tooLong = traceIdLengthProblem(traceIdArg);
    if (tooLong !== null) throw new UsageError(tooLong);
    await refuseSourceAsTraceId(traceIdArg, 'show');
    const loki = await openLokiTraceSource(traceIdArg, options, { hasFiles: sourceArgs.length > 0 });
    // With a Grafana address, --service and --selector shape the Explore link: they do something.
    if (loki === null) refuseLokiOnlyFlags(cmd, withoutLinkFlags(LOKI_QUERY_FLAGS, grafana !== null), filesAlternative);
    // Loki takes longer to answer than the modules that read and draw the trace take to load:
    // ask first, and load them while it answers.
    loki?.source.prefetch();
    const { showTrace } = await import('../show-compose.js');
    await showTrace(traceIdArg, sourceArgs, loki, { output, grafana }, options);
  });
}
