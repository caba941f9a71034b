import { Command, Option } from 'commander';
import { COMMAND_LIST } from '../command-list.js';
import { stringifyForTerminal } from '../../render/json.js';
import { leftOutHint, renderTracesTable, traceRowToJson } from '../../render/traces-table.js';
import { widthArg, addColourOptions } from '../flags.js';
import { whereToRead } from '../check-traces-source.js';
import { LOKI_PAGING_FLAGS, refuseLokiOnlyFlags, withoutLinkFlags } from '../loki-only-flags.js';
import { chooseColour } from '../colour.js';
import { outputWidth, writeOut } from '../terminal.js';
import { renderTracesTsv } from '../../render/traces-tsv.js';
import { UsageError } from '../../errors.js';
import { addTraceFilterOptions, addTraceSourceOptions, readTraceList, type TraceListFlags } from '../trace-list-read.js';
import { addGrafanaOptions, resolveGrafana, type GrafanaFlags } from '../grafana-options.js';
import { traceExploreUrl } from '../../render/grafana-link.js';
import type { TraceRow } from '../../analyse/trace-rows.js';

interface TracesOptions extends TraceListFlags, GrafanaFlags {
  json?: boolean;
  format: 'table' | 'tsv' | 'json';
  color?: boolean;
  width?: number;
}

export function registerTraces(program: Command): void {
  const cmd = program
    .command('traces')
    .description(COMMAND_LIST.traces.summary)
    .argument('[sources...]', "log files or globs ('-' = standard input; piped input is read when none are named)");
  addTraceFilterOptions(cmd, 20)
    .option('--json', 'print a JSON array of rows (field names as in show --json)')
    .addOption(new Option('--format <format>', 'table (fitted to the width), tsv (a header line, tab-separated, nothing cut) or json (the same as --json)').choices(['table', 'tsv', 'json']).default('table'));
  addColourOptions(cmd).option('--width <columns>', 'table width (default: terminal width, 100 when piped)', widthArg());
  addTraceSourceOptions(cmd);
  addGrafanaOptions(cmd);
  cmd.action(async (sourceArgs: string[], options: TracesOptions) => {
    if (options.json && options.format === 'tsv') throw new UsageError('--json and --format tsv both choose the output: pick one');
    if (options.format === 'json') options.json = true;
    const grafana = resolveGrafana(options);
    if (whereToRead(sourceArgs, options).kind === 'local') refuseLokiOnlyFlags(cmd, withoutLinkFlags(LOKI_PAGING_FLAGS, grafana !== null), () => null);
    const { list } = await readTraceList(sourceArgs, options);
    if (options.json) {
      // The whole trace in Explore: the selector narrows as Loki was read, --service (a filter on traces here) does not.
      const query = { selector: options.selector };
      const withLink = (row: TraceRow) => (grafana ? { ...traceRowToJson(row), grafanaExploreUrl: traceExploreUrl(grafana, row, query) } : traceRowToJson(row));
      await writeOut(stringifyForTerminal(list.rows.map(withLink)));
      // stdout stays a plain array for scripts; what was left out is said on stderr, once written.
      const hint = leftOutHint(list);
      if (hint) process.stderr.write(`mcp-trace: ${hint}\n`);
      return;
    }
    if (options.format === 'tsv') {
      await writeOut(renderTracesTsv(list.rows));
      const hint = leftOutHint(list);
      if (hint) process.stderr.write(`mcp-trace: ${hint}\n`);
      return;
    }
    await writeOut(renderTracesTable(list, { ...chooseColour(options.color), width: options.width ?? outputWidth() }));
  });
}
