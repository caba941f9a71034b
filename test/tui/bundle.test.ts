import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, chunk, staticClosure } from '../support/bundle-chunks.js';
import { runCli } from '../support/run-cli.js';

// The interactive view's libraries (React, Ink, Yoga's WebAssembly) are bundled, but only into
// the chunks that `show -i` and `ui` import lazily: start-up (`--version`, `--help`) and the
// other commands never load them. Read from the built bundle (npm test builds it first).
const REACT = /react\.transitional\.element|__REACT_DEVTOOLS_GLOBAL_HOOK__/;

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
