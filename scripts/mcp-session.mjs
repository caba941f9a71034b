#!/usr/bin/env node
// The agent-style session in the README's MCP section, produced by running the built server on
// the bundled examples: each call and the JSON text it returned (long results shortened with …
// where marked). `npm run build` first; `node scripts/mcp-session.mjs` prints it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const client = new Client({ name: 'readme-session', version: '0' });
await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.join(ROOT, 'bin', 'mcp-trace.js'), 'mcp', 'examples/*.log*'], cwd: ROOT, stderr: 'ignore' }));

/** The result's JSON with arrays beyond `keep` items shortened to a count, so the README stays readable. */
function shorten(value, keep) {
  if (Array.isArray(value)) {
    const head = value.slice(0, keep).map((v) => shorten(v, keep));
    return value.length > keep ? [...head, `… ${value.length - keep} more`] : head;
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v, keep)]));
  if (typeof value === 'string' && value.length > 160) return `${value.slice(0, 160)}…`;
  return value;
}

async function call(name, args, keep = 3) {
  const r = await client.callTool({ name, arguments: args });
  console.log(`→ ${name} ${JSON.stringify(args)}`);
  const bytes = Buffer.byteLength(r.content[0].text);
  console.log(`← (${bytes} bytes) ${r.isError ? r.content[0].text : JSON.stringify(shorten(r.structuredContent, keep))}`);
  return r.structuredContent;
}

const list = await call('search_traces', { errors: true, sort: 'errors', limit: 2 });
const id = list.rows[0].id;
const trace = await call('get_trace', { traceId: id, maxSpans: 2 }, 2);
if (trace.truncated) await call(trace.truncated.next.tool, trace.truncated.next.arguments, 2);
await call('get_trace_errors', { traceId: id }, 1);
await call('get_critical_path', { traceId: id, limit: 3 }, 3);
await call('get_trace', { traceId: 'ffffffffffffffffffffffffffffffff' });
await client.close();
