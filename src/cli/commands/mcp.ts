import type { Command } from 'commander';
import { COMMAND_LIST } from '../command-list.js';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description(COMMAND_LIST.mcp.summary)
    .argument('[sources...]', 'log files or globs read by default (a tool call may name others)')
    .action(async (sourceArgs: string[]) => {
      const { serveStdio } = await import('../../mcp/server.js');
      await serveStdio({ defaultSources: sourceArgs }, program.version() ?? '0.1.0');
    });
}
