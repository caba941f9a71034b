import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { writeMessage } from '../cli/terminal.js';
import type { McpContext } from './engine.js';
import { registerGetCriticalPath } from './tools/get-critical-path.js';
import { registerGetServiceMap } from './tools/get-service-map.js';
import { registerGetSpanDetails } from './tools/get-span-details.js';
import { registerGetTrace } from './tools/get-trace.js';
import { registerGetTraceErrors } from './tools/get-trace-errors.js';
import { registerSearchTraces } from './tools/search-traces.js';

export function createMcpServer(ctx: McpContext, version: string): McpServer {
  const server = new McpServer({ name: 'mcp-trace', version });
  registerSearchTraces(server, ctx);
  registerGetTrace(server, ctx);
  registerGetTraceErrors(server, ctx);
  registerGetCriticalPath(server, ctx);
  registerGetSpanDetails(server, ctx);
  registerGetServiceMap(server, ctx);
  return server;
}

/** Serves MCP over stdio until the client closes standard input. Logs go to stderr only. */
export async function serveStdio(ctx: McpContext, version: string): Promise<void> {
  const server = createMcpServer(ctx, version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  writeMessage(`serving over stdio (sources: ${ctx.defaultSources.join(' ') || 'none; each call names files'})`, process.stderr, 'mcp-trace mcp');
  process.stdin.on('end', () => void server.close());
  await closed;
}
