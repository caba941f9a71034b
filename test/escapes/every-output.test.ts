import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 18 item 3, every mode: each character that acts on a terminal or hides in text (C0 but
// newline, DEL, every C1 control, bidi embeddings/overrides/isolates, zero-width characters,
// RLM/ALM/LRM, line separators, the BOM) is put in service names, span names, messages, error
// text, attribute keys and values. Outputs for people or documents show none of them raw; JSON
// outputs write them as \uXXXX and parse back to exactly what was logged.
const CODES = [
  ...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x0a),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
  0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029,
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff,
];
const HOSTILE = `x${CODES.map((c) => String.fromCharCode(c)).join('y')}z`;
const RAW_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
const TRACE = 'aaaabbbbccccddddeeeeffff00001111';

/** The raw characters found, as U+XXXX (colour is off in these runs: no ESC of ours either). */
function rawIn(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (RAW_EXCEPT_NEWLINE.test(ch)) found.add(`U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [...found];
}

function logFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-esc-'));
  const lines = [
    { time: '2026-11-25T21:00:00.000Z', level: 'info', service: `api${HOSTILE}`, trace_id: TRACE, span_id: '1111111111111111', span_name: HOSTILE, msg: `start ${HOSTILE}`, attr: HOSTILE, [`k${HOSTILE}`]: 1 },
    { time: '2026-11-25T21:00:00.010Z', level: 'info', service: `db${HOSTILE}`, trace_id: TRACE, span_id: '2222222222222222', parent_span_id: '1111111111111111', span_name: HOSTILE, msg: `query ${HOSTILE}`, duration_ms: 5 },
    { time: '2026-11-25T21:00:00.050Z', level: 'error', service: `api${HOSTILE}`, trace_id: TRACE, span_id: '1111111111111111', span_name: HOSTILE, msg: `failed ${HOSTILE}`, error: HOSTILE, duration_ms: 50 },
  ];
  const file = join(dir, 'api.log');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

/** Every string anywhere in a parsed JSON value. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringsIn(v, stringsIn(k, out));
  return out;
}

describe('no raw control, bidi or invisible character in any output', () => {
  const file = logFile();
  const input = readFileSync(file, 'utf8');

  it.each([
    ['show', ['show', TRACE, file, '--width', '400']],
    ['show --logs', ['show', TRACE, file, '--logs', '--width', '400']],
    ['show --format logs', ['show', TRACE, file, '--format', 'logs']],
    ['show --stats --critical-path', ['show', TRACE, file, '--stats', '--critical-path', '--width', '400']],
    ['traces', ['traces', file, '--width', '1000']],
    ['check', ['check', TRACE, file, '--no-errors', '--expect-span', 'api*:x*']],
    ['check --markdown', ['check', TRACE, file, '--no-errors', '--markdown']],
    ['check --all --markdown', ['check', '--all', file, '--no-errors', '--markdown']],
  ])('%s: escaped, stdout and stderr', async (_name, args) => {
    const r = await runCli(args);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(rawIn(r.stdout)).toEqual([]);
    expect(rawIn(r.stderr)).toEqual([]);
    expect(r.stdout).toContain('\\u202e');
    expect(r.stdout).toContain('\\u009b');
  });

  it('tail and tail --trees: escaped', async () => {
    for (const args of [['tail'], ['tail', '--trees', '--settle', '0s', '--width', '400']]) {
      const r = await runCli(args, { stdin: input });
      expect(r.code).toBe(0);
      expect(rawIn(r.stdout)).toEqual([]);
      expect(r.stdout).toContain('\\u2066');
    }
  });

  it('the JUnit file: escaped, C0 controls too (XML cannot hold them, a terminal acts on them)', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'mcp-trace-esc-')), 'out.xml');
    const r = await runCli(['check', TRACE, file, '--no-errors', '--junit', junit]);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(rawIn(xml.replaceAll('\t', ' '))).toEqual([]);
    expect(xml).toContain('x\\x00y\\x01y');
    expect(xml).toContain('\\x1by\\x1cy');
    expect(xml).toContain('\\ry');
    expect(xml).toContain('\\u009by');
  });

  it.each([
    ['show --json', ['show', TRACE, file, '--json']],
    ['show --format otlp', ['show', TRACE, file, '--format', 'otlp']],
    ['show --format jaeger', ['show', TRACE, file, '--format', 'jaeger']],
    ['show --format chrome', ['show', TRACE, file, '--format', 'chrome']],
    ['traces --json', ['traces', file, '--json']],
    ['check --json', ['check', TRACE, file, '--no-errors', '--json']],
  ])('%s: \\uXXXX escapes, parsed back to the logged text', async (_name, args) => {
    const r = await runCli(args);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(rawIn(r.stdout)).toEqual([]);
    const strings = stringsIn(JSON.parse(r.stdout));
    expect(strings.some((s) => s.includes(HOSTILE))).toBe(true);
  });

  it('tail --json and tail --trees --json: one exact JSON document per line', async () => {
    const lines = await runCli(['tail', '--json'], { stdin: input });
    expect(rawIn(lines.stdout)).toEqual([]);
    const records = lines.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(records).toHaveLength(3);
    expect(stringsIn(records)).toContain(`failed ${HOSTILE}`);

    const trees = await runCli(['tail', '--json', '--trees', '--settle', '0s'], { stdin: input });
    expect(rawIn(trees.stdout)).toEqual([]);
    const docs = trees.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { spans?: Array<{ name: string; service: string }> });
    const tree = docs.find((d) => d.spans !== undefined);
    expect(tree?.spans?.[0]?.name).toBe(HOSTILE);
    expect(tree?.spans?.[0]?.service).toBe(`api${HOSTILE}`);
  });
});
