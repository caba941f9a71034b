// Measures FileSource's scan on a big NDJSON file (built dist/ required: `npm run build`).
// Usage: node scripts/bench-scan.mjs FILE [traceId] [--all]
// Prints wall time, lines read/matched and peak RSS. Not a test: speed goes here, not in vitest.
import { FileSource } from '../dist/sources/files.js';
import { traceIdNeedles } from '../dist/trace-id.js';

const [file, id = '4bf92f3577b34da6a3ce929d0e0e4736', flag] = process.argv.slice(2);
const t0 = performance.now();
const stats = { linesRead: 0, linesMatched: 0, malformedLines: 0, bytesRead: 0 };
const needles = flag === '--all' ? undefined : traceIdNeedles(id);
const source = await FileSource.open([file]);
let matched = 0;
let chars = 0;
for await (const batch of source.read({ needles, stats })) {
  matched += batch.length;
  for (const l of batch) chars += l.text.length;
}
const ms = performance.now() - t0;
const rss = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ needles, ms: Math.round(ms), linesRead: stats.linesRead, bytesRead: stats.bytesRead, matched, chars, peakRssMB: Math.round(rss) }));
