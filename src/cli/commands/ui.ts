import { Command, Option } from 'commander';
import { addColourOptions, countArg } from '../flags.js';
import { COMMAND_LIST } from '../command-list.js';
import { EXIT, UsageError } from '../../errors.js';
import { requireTerminal } from '../require-terminal.js';
import { addTraceFilterOptions, addTraceSourceOptions, type TraceListFlags } from '../trace-list-read.js';

export interface UiOptions extends TraceListFlags {
  follow?: boolean;
  /** Hidden: how many traces' records --follow holds for Enter (tests make it small). */
  keepTraces?: number;
  color?: boolean;
}

export function registerUi(program: Command): void {
  const cmd = program
    .command('ui')
    .description(COMMAND_LIST.ui.summary)
    .argument('[sources...]', 'log files or globs (or --loki); standard input carries the keys, so it cannot carry logs');
  addTraceFilterOptions(cmd, 1000)
    .option('-f, --follow', "follow the files (as tail -F) or Loki's tail and add traces to the list as their lines arrive")
    .addOption(new Option('--keep-traces <n>', 'traces whose lines --follow holds for Enter').argParser(countArg('--keep-traces')).hideHelp());
  addColourOptions(cmd);
  addTraceSourceOptions(cmd);
  cmd.action(async (sourceArgs: string[], options: UiOptions) => {
    if (sourceArgs.includes('-')) throw new UsageError("ui reads its keys from standard input, so logs cannot come from it: save them to a file and name it");
    requireTerminal('run mcp-trace traces … for the list, then mcp-trace show <traceId> … for one trace');
    const { openUi } = await import('../ui-compose.js');
    const leave = await openUi(sourceArgs, options);
    if (leave === 'interrupt') process.exitCode = EXIT.INTERRUPTED;
  });
}
