import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { UserError } from '../errors.js';
import { writeMessage } from '../cli/terminal.js';
import { ToolError } from './engine.js';

/** A structured result, with the same JSON as text for clients that read only `content`. */
export function ok(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

export function fail(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Every handler runs through this: a thrown error becomes an isError result, never a crash. */
export function guarded<A>(handler: (args: A) => Promise<CallToolResult>): (args: A) => Promise<CallToolResult> {
  return async (args: A) => {
    try {
      return await handler(args);
    } catch (err) {
      if (err instanceof ToolError || err instanceof UserError) return fail(err.message);
      const message = err instanceof Error ? err.message : String(err);
      writeMessage(message, process.stderr, 'mcp-trace mcp');
      if (process.env.MCP_TRACE_DEBUG) console.error(err);
      return fail(`mcp-trace failed: ${message}`);
    }
  };
}
