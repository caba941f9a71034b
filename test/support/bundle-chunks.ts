import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli.js';

// Reading the built bundle (npm test builds it first): which chunk a lazily imported module
// became, and what a chunk loads as it is imported.
export const BUNDLE = join(REPO_ROOT, 'dist/bundle');

/** The files a chunk loads as it is imported: its static imports, transitively (not `import()`). */
export function staticClosure(entry: string): string[] {
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
export function chunk(name: string): string {
  return readdirSync(BUNDLE).find((f) => new RegExp(`^${name}-[A-Z0-9]{8}\\.js$`).test(f))!;
}
