#!/usr/bin/env node
// Ctrl-C while the modules load still ends with the documented exit code (130).
process.on('SIGINT', () => process.exit(130));

// The compiled CLI lives in dist/bundle/ (built by `npm install` through the prepare script:
// tsc, then esbuild: scripts/bundle.mjs).
const { main } = await import('../dist/bundle/main.js');
await main(process.argv);
