import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { writeMessage } from '../cli/terminal.js';
import type { LoadedTrace, McpContext } from './engine.js';
import { ErrorTails } from './error-tail.js';
import type { StartupSources } from './sources.js';
import { TraceCache } from './trace-cache.js';
import { registerDiffTraces } from './tools/diff-traces.js';
import { registerGetCriticalPath } from './tools/get-critical-path.js';
import { registerGetServiceMap } from './tools/get-service-map.js';
import { registerGetSpanDetails } from './tools/get-span-details.js';
import { registerGetTrace } from './tools/get-trace.js';
import { registerGetTraceErrors } from './tools/get-trace-errors.js';
import { registerSearchTraces } from './tools/search-traces.js';
import { registerTailErrors } from './tools/tail-errors.js';

export function createMcpServer(ctx: McpContext, version: string): McpServer {
  const server = new McpServer({ name: 'mcp-trace', version });
  registerSearchTraces(server, ctx);
  registerGetTrace(server, ctx);
  registerGetTraceErrors(server, ctx);
  registerGetCriticalPath(server, ctx);
  registerGetSpanDetails(server, ctx);
  registerGetServiceMap(server, ctx);
  registerTailErrors(server, ctx);
  registerDiffTraces(server, ctx);
  return server;
}

/** Diagnostics go to stderr only: stdout carries the protocol. */
function log(message: string): void {
  writeMessage(message, process.stderr, 'mcp-trace mcp');
}

/**
 * Serves MCP over stdio until the client closes standard input. The start-up sources are followed
 * in the background from the start, so tail_errors has the errors since then.
 */
export async function serveStdio(startup: StartupSources, version: string): Promise<void> {
  const ctx: McpContext = { startup, cache: new TraceCache<LoadedTrace>(), tails: new ErrorTails(log) };
  const server = createMcpServer(ctx, version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  const what = startup.where.kind === 'loki' ? `Loki at ${startup.where.connection.url}` : startup.where.args.join(' ') || 'none; each call names files';
  log(`serving over stdio (sources: ${what})`);
  process.stdin.on('end', () => void server.close());
  // Followed from now on, for tail_errors; the tools answer meanwhile.
  await ctx.tails.follow(startup.where);
  await closed;
  ctx.tails.stopAll();
}
