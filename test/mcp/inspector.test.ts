import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from './helpers.js';

// The official MCP Inspector's CLI mode (@modelcontextprotocol/inspector-cli, a devDependency):
// a client nobody here wrote lists the tools and calls one over stdio.
const INSPECTOR = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build', 'cli.js');
const missing = existsSync(INSPECTOR) ? null : `test/mcp/inspector.test.ts: skipped: ${INSPECTOR} is missing (npm ci installs it)`;
if (missing) process.stderr.write(`${missing}\n`);
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function inspect(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // inspector-cli 1.0.3 finds its own package.json as `../package.json` from the working
    // directory (not from its file), so it runs from a folder one below a package.json: test/.
    const child = spawn(process.execPath, [INSPECTOR, '--cli', process.execPath, BIN, 'mcp', join(REPO_ROOT, 'examples', '*.log*'), ...args], { cwd: join(REPO_ROOT, 'test') });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(missing !== null)('the official MCP Inspector CLI', () => {
  it('tools/list shows the eight tools with their schemas', async () => {
    const r = await inspect(['--method', 'tools/list']);
    expect(r.code, r.stderr).toBe(0);
    const { tools } = JSON.parse(r.stdout);
    expect(tools.map((t: { name: string }) => t.name).sort()).toEqual(['diff_traces', 'get_critical_path', 'get_service_map', 'get_span_details', 'get_trace', 'get_trace_errors', 'search_traces', 'tail_errors']);
    expect(tools.every((t: { inputSchema?: object; outputSchema?: object }) => t.inputSchema && t.outputSchema)).toBe(true);
  }, 30_000);

  it('tools/call get_trace_errors names the error origin', async () => {
    const r = await inspect(['--method', 'tools/call', '--tool-name', 'get_trace_errors', '--tool-arg', `traceId=${TRACE}`]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.origin).toMatchObject({ id: '6afeecf5bf4859f0', service: 'fraud-check' });
  }, 30_000);
});
