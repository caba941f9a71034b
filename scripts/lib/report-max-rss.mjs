// Preloaded with `node --import` when /usr/bin/time is missing: on exit, writes the process's
// peak resident set size (KiB, as getrusage reports it) to $MCP_TRACE_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const target = process.env.MCP_TRACE_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
