import type { Command } from 'commander';
import { COMMAND_LIST } from '../command-list.js';
import type { SourceFlags } from '../check-traces-source.js';
import { addLokiOptions, addWindowOptions } from '../loki-options.js';

export function registerMcp(program: Command): void {
  const cmd = program
    .command('mcp')
    .description(COMMAND_LIST.mcp.summary)
    .argument('[sources...]', 'log files or globs read by default (a tool call may name others); none: Loki with --loki or LOKI_ADDR');
  addLokiOptions(cmd);
  addWindowOptions(cmd);
  cmd.action(async (sourceArgs: string[], flags: SourceFlags) => {
    const [{ serveStdio }, { startupSources }] = await Promise.all([import('../../mcp/server.js'), import('../../mcp/sources.js')]);
    // Bad flags end here with one line and exit 2, before the protocol starts.
    await serveStdio(startupSources(sourceArgs, flags), program.version() ?? '0.1.0');
  });
}
