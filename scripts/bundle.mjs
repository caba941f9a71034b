#!/usr/bin/env node
// Bundles the compiled CLI (dist/, from tsc) into dist/bundle/ with esbuild: a few files instead
// of hundreds of modules to resolve and load, which is most of a small command's start-up time.
// Lazy imports stay lazy (code splitting): `show` still never loads the websocket client.
// The scan worker is its own entry, next to the chunk that starts it (sources/scan/file-scan.ts
// finds it as ./file-worker.js beside itself), and so is the `traces` worker (analyse/parallel-rows.ts).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/cli/main.js', 'file-worker': 'dist/sources/scan/file-worker.js', 'rows-worker': 'dist/analyse/rows-worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (commander, cli-table3) call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __mcpTraceRequire } from 'node:module'; const require = __mcpTraceRequire(import.meta.url);" },
  // ws's optional native speed-ups: absent is fine (ws falls back), so leave them to Node. The
  // sketch library requires protobufjs only to serialise a sketch, which we never do.
  // Ink imports react-devtools-core only when DEV=true, to debug Ink itself: not shipped.
  external: ['bufferutil', 'utf-8-validate', 'protobufjs/minimal', 'react-devtools-core'],
  // React picks its development or production build by NODE_ENV at run time; bundle the
  // production one only (the development build is twice the size and slower).
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
