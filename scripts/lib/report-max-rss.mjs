// Preloaded with `node --import` when /usr/bin/time is missing: on exit, writes the process's
// peak resident set size (KiB, as getrusage reports it) and its user and system CPU seconds to
// $MCP_TRACE_BENCH_RSS_FILE, in the order GNU time's `%M %U %S` gives them.
import { writeFileSync } from 'node:fs';

const target = process.env.MCP_TRACE_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}`);
  });
}
