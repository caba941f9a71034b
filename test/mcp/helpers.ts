import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { BIN, REPO_ROOT } from '../support/run-cli.js';

export { BIN, REPO_ROOT };
export const built = existsSync(fileURLToPath(new URL('../../dist/bundle/main.js', import.meta.url)));

export type Result = Awaited<ReturnType<Client['callTool']>>;
export const structured = (r: Result) => r.structuredContent as Record<string, any>;
export const text = (r: Result) => (r.content as Array<{ type: string; text: string }>)[0]!.text;

/**
 * The real server over stdio, driven by the SDK's own client. Every call's arguments are checked
 * against the tool's declared inputSchema before sending, and every result against its
 * outputSchema (the client checks too; this does not depend on it), so a schema and what the
 * tool does cannot drift apart unnoticed. `called` records which tools ran, ok and failing.
 */
export class McpSession {
  readonly called = { ok: new Set<string>(), failed: new Set<string>() };
  stderr = '';
  private tools = new Map<string, Tool>();
  private readonly ajv = new AjvJsonSchemaValidator();

  private constructor(readonly client: Client) {}

  static async start(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<McpSession> {
    if (!built) throw new Error('dist/ is not built: run npm run build first (npm test does)');
    const client = new Client({ name: 'mcp-trace-test', version: '0.0.0' });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('LOKI_')) env[k] = v;
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], cwd: options.cwd ?? REPO_ROOT, env: { ...env, ...options.env }, stderr: 'pipe' });
    const session = new McpSession(client);
    transport.stderr?.on('data', (d: Buffer) => (session.stderr += d.toString('utf8')));
    await client.connect(transport);
    for (const tool of (await client.listTools()).tools) session.tools.set(tool.name, tool);
    return session;
  }

  get toolList(): Tool[] {
    return [...this.tools.values()];
  }

  /** Calls a tool with arguments its inputSchema accepts; checks the output against its outputSchema. */
  async call(name: string, args: Record<string, unknown>): Promise<Result> {
    const tool = this.tools.get(name);
    if (!tool) throw new Error(`no tool ${name}`);
    const input = this.ajv.getValidator(tool.inputSchema)(args);
    if (!input.valid) throw new Error(`the test's arguments for ${name} break its inputSchema: ${input.errorMessage}`);
    return this.record(name, await this.client.callTool({ name, arguments: args }));
  }

  /** Sends arguments as they are, schema or not (to test what the server does with bad ones). */
  async callRaw(name: string, args: Record<string, unknown>): Promise<Result> {
    return this.record(name, await this.client.callTool({ name, arguments: args }));
  }

  private record(name: string, r: Result): Result {
    const tool = this.tools.get(name);
    if (r.isError) {
      this.called.failed.add(name);
      if (typeof text(r) !== 'string' || text(r).length === 0) throw new Error(`${name}: an error result without a message`);
    } else {
      this.called.ok.add(name);
      if (tool?.outputSchema) {
        const output = this.ajv.getValidator(tool.outputSchema)(r.structuredContent);
        if (!output.valid) throw new Error(`${name}'s result breaks its outputSchema: ${output.errorMessage}`);
        // The text content is the same JSON, for clients that read only content.
        if (JSON.stringify(r.structuredContent) !== text(r)) throw new Error(`${name}: the text content differs from structuredContent`);
      }
    }
    return r;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Polls until check() returns something truthy. */
export async function until<T>(check: () => Promise<T | null | undefined | false>, what: string | (() => string), timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
