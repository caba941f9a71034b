// The scorer measures what a user gets: scripts/score/build-trace.mjs (in-process) must give the
// same object as the real `node bin/mcp-trace.js show <id> <files> --json`. Needs dist/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTrace, listTraces, runCli } from '../../scripts/score/build-trace.mjs';
import { discoverCorpus, sourcesOf } from '../../scripts/score/score-lib.mjs';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const exampleFiles = sourcesOf(EXAMPLES).filter((f) => f.includes('.log'));

async function cliShow(traceId: string, files: readonly string[]): Promise<unknown> {
  const { code, stdout, stderr } = await runCli(['show', traceId, ...files, '--json']);
  if (code !== 0 && /^mcp-trace: trace .* not found/.test(stderr)) return null;
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

describe('build-trace gives what show --json prints', () => {
  it('on the bundled examples (explicit parents, trace id only, clock skew, not found)', async () => {
    const ids = ['4bf92f3577b34da6a3ce929d0e0e4736', '1764061260000-9f86d081', 'f0e6d2b8a4c94e1f8a7b3c5d9e2f1a60', 'ffffffffffffffffffffffffffffffff'];
    for (const id of ids) {
      const cli = await cliShow(id, exampleFiles);
      expect(await buildTrace(id, exampleFiles), `trace ${id}`).toEqual(cli);
    }
    expect(await cliShow(ids[0]!, exampleFiles)).not.toBeNull();
  });

  // Inferred parents with clock skew, trace ids only, Datadog decimal 64-bit ids.
  const ROWS = [
    ['otel-node', 'c-skew'],
    ['go-zap', 'trace-only'],
    ['zoo', 'pino-datadog'],
  ] as const;
  for (const [corpusName, rowName] of ROWS) {
    const row = discoverCorpus(corpusName).rows.find((r) => r.name === rowName);
    const title = `on corpus/${corpusName} ${rowName}`;
    if (!row) {
      it.skip(`${title}: not committed yet`, () => {});
      continue;
    }
    it(title, async () => {
      const truth = JSON.parse(readFileSync(row.truthPath, 'utf8')) as { traces: Array<{ traceId: string; spans: Array<{ error: boolean }> }> };
      const files = sourcesOf(row.dir);
      // The first trace, the first with a failing span, the last.
      const picks = [truth.traces[0], truth.traces.find((t) => t.spans.some((s) => s.error)), truth.traces.at(-1)];
      for (const id of new Set(picks.filter((t) => t !== undefined).map((t) => t!.traceId))) {
        const cli = await cliShow(id, files);
        expect(cli, `trace ${id} in corpus/${corpusName}/${rowName}`).not.toBeNull();
        expect(await buildTrace(id, files), `trace ${id} in corpus/${corpusName}/${rowName}`).toEqual(cli);
      }
    }, 60_000);
  }

  it('listTraces lists every trace the traces table has, past the default --limit of 20', async () => {
    const ids = await listTraces(exampleFiles);
    expect(ids.length).toBeGreaterThan(20);
    expect(ids).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(new Set(ids).size).toBe(ids.length);
  });
});
