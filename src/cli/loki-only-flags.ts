// Flags that only shape a Loki query (the window, the stream selector, paging) do nothing on
// files in some commands. Accepted and ignored, they would mislead: `show <id> app.log --since
// 1h` prints the whole trace whatever its time. So on files they are a usage error that names
// where they do work.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Window and query flags that only Loki reads, in `show`/`check` (and `traces`/`map` apart from the window). */
export const LOKI_QUERY_FLAGS = ['--since', '--from', '--to', '--selector', '--service', '--parallel', '--page-size'] as const;
export const LOKI_PAGING_FLAGS = ['--selector', '--parallel', '--page-size'] as const;

/**
 * Throws when a flag of `flags` was given on the command line of `cmd`, which reads files here.
 * `elsewhere` says where the flag does work on files, or is omitted when it works nowhere but Loki.
 */
export function refuseLokiOnlyFlags(cmd: Command, flags: readonly string[], elsewhere: (flag: string) => string | null): void {
  for (const flag of flags) {
    const key = cmd.options.find((o) => o.long === flag)?.attributeName();
    if (key === undefined || cmd.getOptionValueSource(key) !== 'cli') continue;
    const where = elsewhere(flag);
    throw new UsageError(`${cmd.name()}: ${flag} only applies to Loki; on files it would change nothing${where ? ` (${where})` : ''}: add --loki, or drop it`);
  }
}

/** The flags less those that shape a Grafana Explore link's query, when a link is made (--grafana-url). */
export function withoutLinkFlags(flags: readonly string[], linked: boolean): readonly string[] {
  return linked ? flags.filter((f) => f !== '--selector' && f !== '--service') : flags;
}

/** Where a window or service flag works on files, for the commands that only use it on Loki. */
export function filesAlternative(flag: string): string | null {
  if (flag === '--since') return 'traces, map and tail filter files by time: mcp-trace traces --since 1h …';
  if (flag === '--from' || flag === '--to') return `traces and map filter files by time: mcp-trace traces ${flag} … …`;
  if (flag === '--service') return 'traces and map keep the traces that touch a service, tail its lines: mcp-trace traces --service …';
  return null;
}
