// The scan worker is a separate module loaded by node:worker_threads, which cannot load the
// TypeScript sources vitest runs. This transpiles src/sources/scan/*.ts (no type check, same
// module graph) into a temporary folder once per test run and returns the worker's URL.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

let built: URL | undefined;

export function builtWorkerUrl(): URL {
  if (built) return built;
  const srcRoot = fileURLToPath(new URL('../../../src/', import.meta.url));
  const outRoot = mkdtempSync(join(tmpdir(), 'mcp-trace-worker-'));
  // The worker imports only from scan/ and type-only from further up; copy the tree it may reach.
  for (const dir of ['sources/scan', 'sources', '']) {
    mkdirSync(join(outRoot, dir), { recursive: true });
    for (const name of readdirSync(join(srcRoot, dir))) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      if (dir !== 'sources/scan' && !['types.ts', 'source.ts', 'errors.ts'].includes(name)) continue;
      const out = ts.transpileModule(readFileSync(join(srcRoot, dir, name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(outRoot, dir, name.replace(/\.ts$/, '.js')), out.outputText);
    }
  }
  writeFileSync(join(outRoot, 'package.json'), '{"type":"module"}');
  built = pathToFileURL(join(outRoot, 'sources/scan/file-worker.js'));
  return built;
}
