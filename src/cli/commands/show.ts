import { Command, InvalidArgumentError, Option } from 'commander';
import { assembleTrace } from '../../assemble/assemble.js';
import { NotFoundError } from '../../errors.js';
import { traceToJson } from '../../render/json.js';
import { renderLogs } from '../../render/logs.js';
import { renderTree } from '../../render/tree.js';
import { canonicalTraceId } from '../../trace-id.js';
import { collectTrace } from '../collect-trace.js';
import { addLokiOptions, addWindowOptions } from '../loki-options.js';
import { openLokiTraceSource, type LokiTraceFlags } from '../loki-trace-source.js';
import { addFieldOptions, openLocalSources } from '../source-options.js';
import { chooseColour, outputWidth, writeOut } from '../terminal.js';
import { notFoundInWindowMessage } from '../time-window.js';

interface ShowOptions extends LokiTraceFlags {
  json?: boolean;
  format: 'tree' | 'logs';
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
    .description('rebuild one trace from logs and print it as a tree')
    .argument('<traceId>', 'trace id: 32 or 16 hex, UUID, <unix-ms>-<hex>, Datadog decimal…')
    .argument('[sources...]', "log files or globs ('-' = standard input; piped input is read when none are named)")
    .option('--json', 'print one JSON object (stable shape, for scripts)')
    .addOption(new Option('--format <format>', 'output format').choices(['tree', 'logs']).default('tree'))
    .option('--logs', "print each span's log lines under it")
    .option('--color', 'force colour')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--width <columns>', 'output width (default: terminal width, 100 when piped)', parseWidth);
  addFieldOptions(cmd);
  addLokiOptions(cmd);
  addWindowOptions(cmd);
  cmd.action(async (traceIdArg: string, sourceArgs: string[], options: ShowOptions) => {
    const traceId = canonicalTraceId(traceIdArg) || traceIdArg;
    const loki = openLokiTraceSource(traceIdArg, options, { hasFiles: sourceArgs.length > 0 });
    const source = loki?.source ?? (await openLocalSources(sourceArgs));
    const { records, stats } = await collectTrace(source, traceId, options);
    if (records.length === 0) {
      throw new NotFoundError(
        loki
          ? notFoundInWindowMessage(traceIdArg, source.description, loki.window)
          : `trace ${traceIdArg} not found in ${source.description} (${stats.linesRead} lines read${stats.malformedLines ? `, ${stats.malformedLines} malformed` : ''})`,
      );
    }
    const trace = assembleTrace(traceId, records);
    if (options.json) {
      await writeOut(JSON.stringify(traceToJson(trace, stats), null, 2));
      return;
    }
    const render = {
      ...chooseColour(options.color),
      width: options.width ?? outputWidth(),
      logs: options.logs,
    };
    await writeOut(options.format === 'logs' ? renderLogs(trace, render) : renderTree(trace, stats, render));
  });
}

function parseWidth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 40 || n > 1000) {
    throw new InvalidArgumentError(`--width takes a whole number of columns from 40 to 1000, not '${value}'`);
  }
  return n;
}
