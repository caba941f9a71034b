import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, chunk, staticClosure } from '../support/bundle-chunks.js';

// `show --loki` sends its first request from what the `show` command module loads statically,
// then loads the rest (show-compose.ts) while Loki answers. Start-up is most of a small query, so
// nothing that reads, analyses or draws a trace may sit in that static part. Read from the built
// bundle (npm test builds it first); esbuild keeps a `// dist/<module>.js` line per bundled module.
const modulesOf = (entry: string) =>
  staticClosure(entry).flatMap((f) => [...readFileSync(join(BUNDLE, f), 'utf8').matchAll(/^\/\/ ((?:dist|node_modules)\/\S+)\.m?js$/gm)].map((m) => m[1]!));

describe('show --loki asks Loki before it loads the trace pipeline', () => {
  const beforeRequest = [...new Set([...modulesOf(chunk('show')), ...modulesOf(chunk('loki-source'))])];

  it('the show command and the Loki client load no reading, analysis or drawing module', () => {
    expect(beforeRequest).toContain('dist/cli/commands/show');
    expect(beforeRequest).toContain('dist/sources/loki/loki-source');
    const heavy = /^dist\/(normalise|assemble|collect|analyse\/(?!skew-default)|render\/(?!sanitize)|sources\/(scan|files|stdin))|^node_modules\/(tinyglobby|picomatch|fdir|chalk|ora)\//;
    expect(beforeRequest.filter((m) => heavy.test(m))).toEqual([]);
  });

  it('the composition it loads afterwards holds them', () => {
    const after = modulesOf(chunk('show-compose'));
    for (const m of ['dist/collect/collect-trace', 'dist/assemble/assemble', 'dist/analyse/analyse-trace', 'dist/normalise/normalise']) expect(after).toContain(m);
  });
});
