#!/usr/bin/env node
import module from 'node:module';

// Ctrl-C while the modules load still ends with the documented exit code (130).
process.on('SIGINT', () => process.exit(130));

// Node 22.1+ keeps the compiled bundle between runs (in the system's temp folder; start-up is
// most of a small `show --loki`). Node 20 has no such cache for ES modules: skipped there.
module.enableCompileCache?.();

// The compiled CLI lives in dist/bundle/ (built by `npm install` through the prepare script:
// tsc, then esbuild: scripts/bundle.mjs).
const { main } = await import('../dist/bundle/main.js');
await main(process.argv);
