import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// The interactive view's libraries (React, Ink, Yoga's WebAssembly) are bundled, but only into
// the chunks that `show -i` and `ui` import lazily: start-up (`--version`, `--help`) and the
// other commands never load them. Read from the built bundle (npm test builds it first).
const BUNDLE = join(REPO_ROOT, 'dist/bundle');
const REACT = /react\.transitional\.element|__REACT_DEVTOOLS_GLOBAL_HOOK__/;

/** The files a chunk loads as it is imported: its static imports, transitively (not `import()`). */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, dep] of readFileSync(join(BUNDLE, file), 'utf8').matchAll(/(?:from|import)\s+"\.\/([^"]+)"/g)) queue.push(dep!);
  }
  return [...seen];
}

/** esbuild names a lazily imported module's chunk `<name>-<8 character hash>.js`. */
const chunk = (name: string) => readdirSync(BUNDLE).find((f) => new RegExp(`^${name}-[A-Z0-9]{8}\\.js$`).test(f))!;
const loadsReact = (entry: string) => staticClosure(entry).filter((f) => REACT.test(readFileSync(join(BUNDLE, f), 'utf8')));

describe('the bundle keeps React out of start-up and the other commands', () => {
  it('React is bundled (the interactive chunks load it)', () => {
    expect(loadsReact(chunk('explore-trace'))).toHaveLength(1);
    expect(loadsReact(chunk('explore-traces'))).toHaveLength(1);
  });

  it('main (--version, --help) and the show, traces and ui command modules do not load it', () => {
    for (const entry of ['main.js', chunk('show'), chunk('traces'), chunk('ui'), chunk('show-terminal')]) expect(loadsReact(entry), entry).toEqual([]);
  });

  it('--version and --help answer, and --help lists ui', async () => {
    expect((await runCli(['--version'])).stdout).toBe('0.1.0\n');
    expect((await runCli(['--help'])).stdout).toMatch(/\n {2}ui \[sources\.\.\.\]\s+explore interactively/);
  });
});
