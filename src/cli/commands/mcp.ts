import type { Command } from 'commander';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('serve the Model Context Protocol over stdio for coding agents (tools: search_traces, get_trace, …)')
    .argument('[sources...]', 'log files or globs read by default (a tool call may name others)')
    .action(async (sourceArgs: string[]) => {
      const { serveStdio } = await import('../../mcp/server.js');
      await serveStdio({ defaultSources: sourceArgs }, program.version() ?? '0.1.0');
    });
}
