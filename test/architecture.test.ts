import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
/** The pipeline's order: a stage may import from its own level or earlier ones, never later. */
const LEVEL: Record<string, number> = { sources: 1, normalise: 2, assemble: 3, collect: 4, analyse: 5, check: 5, render: 6, tui: 7, cli: 8, mcp: 8 };

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function stageOf(file: string): string | undefined {
  const [first, ...rest] = relative(SRC, file).split('/');
  return rest.length > 0 ? first : undefined; // top-level files (types, errors, trace-id) are shared
}

it('no stage imports a later one (sources → normalise → assemble → collect → analyse → render → tui → cli), statically or with import()', () => {
  const violations: string[] = [];
  for (const file of tsFiles(SRC)) {
    const stage = stageOf(file);
    if (!stage || LEVEL[stage] === undefined) continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const target = stageOf(normalize(join(dirname(file), spec!)));
      if (target && LEVEL[target] !== undefined && LEVEL[target]! > LEVEL[stage]!) {
        violations.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
  }
  expect(violations).toEqual([]);
});

it('every folder under src/ has a place in the pipeline (a new stage must be given its level, or it is never checked)', () => {
  const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  expect(folders.filter((f) => LEVEL[f] === undefined)).toEqual([]);
});
