import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 18 item 3: C1 controls, bidi controls, zero-width characters, RLM/ALM/LRM and DEL never
// leave raw in output meant for people or documents (terminal, markdown, JUnit); JSON writes them
// as \uXXXX, so the parsed JSON still holds exactly the logged text.
const HOSTILE = 'pay\u009b2J\u202eevil\u2066iso\u2069\u200bzw\u200dj\ufeffbom\u200frlm\u061calm\u200elrm\u007fdel';
const ESCAPED = 'pay\\u009b2J\\u202eevil\\u2066iso\\u2069\\u200bzw\\u200dj\\ufeffbom\\u200frlm\\u061calm\\u200elrm\\x7fdel';
const RAW = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
const TRACE = 'aaaabbbbccccddddeeeeffff00001111';

function logFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-h18-'));
  const lines = [
    { time: '2026-11-25T21:00:00.000Z', level: 'info', service: 'api', trace_id: TRACE, span_id: '1111111111111111', span_name: HOSTILE, msg: `start ${HOSTILE}` },
    { time: '2026-11-25T21:00:00.050Z', level: 'error', service: 'api', trace_id: TRACE, span_id: '1111111111111111', span_name: HOSTILE, msg: `failed ${HOSTILE}`, error: HOSTILE, duration_ms: 50 },
  ];
  const file = join(dir, 'api.log');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

describe('invisible and direction-changing characters', () => {
  const file = logFile();

  it('show (tree, --logs, --format logs) escapes them', async () => {
    for (const extra of [[], ['--logs'], ['--format', 'logs']]) {
      const r = await runCli(['show', TRACE, file, '--width', '400', ...extra]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stdout).toContain('\\u202e');
      expect(r.stdout).toContain('\\u200b');
    }
  });

  it('show --json writes them as \\uXXXX and parses back to the logged text', async () => {
    const r = await runCli(['show', TRACE, file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain(ESCAPED.replace('\\x7f', '\\u007f'));
    const parsed = JSON.parse(r.stdout) as { spans: Array<{ name: string }> };
    expect(parsed.spans[0]!.name).toBe(HOSTILE);
  });

  it('tail and tail --json', async () => {
    const input = readFileSync(file, 'utf8');
    const plain = await runCli(['tail'], { stdin: input });
    expect(plain.stdout).not.toMatch(RAW);
    expect(plain.stdout).toContain('\\u202e');
    const json = await runCli(['tail', '--json'], { stdin: input });
    expect(json.stdout).not.toMatch(RAW);
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { message: string });
    expect(records).toHaveLength(2);
    expect(records[0]!.message).toBe(`start ${HOSTILE}`);
  });

  it('check --markdown, --json and the JUnit file', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'mcp-trace-h18-')), 'out.xml');
    const md = await runCli(['check', TRACE, file, '--no-errors', '--expect-span', `api:${HOSTILE}`, '--markdown', '--junit', junit]);
    expect(md.code).toBe(1);
    expect(md.stdout).not.toMatch(RAW);
    expect(md.stdout).toContain('\\u202e');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).not.toMatch(RAW);
    expect(xml).toContain('\\u202e');
    const terminal = await runCli(['check', TRACE, file, '--no-errors']);
    expect(terminal.stdout + terminal.stderr).not.toMatch(RAW);
    const json = await runCli(['check', TRACE, file, '--no-errors', '--json']);
    expect(json.stdout).not.toMatch(RAW);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('traces (table and --json)', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await runCli(['traces', file, ...extra]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(RAW);
    }
  });
});
