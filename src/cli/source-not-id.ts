import { existsSync } from 'node:fs';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { UsageError } from '../errors.js';

/**
 * `check 'logs/*.log' --no-errors` forgets the trace id, and the glob is taken for one: the
 * trace is then "not found" in standard input or in nothing. When the word in the id's place
 * names files that exist (a path, or a glob that matches one), say so instead. Ids never contain
 * a slash or glob characters, so nothing that is an id is refused.
 */
export function refuseSourceAsTraceId(word: string, command: 'show' | 'check'): void {
  if (!/[/\\*?[]/.test(word) && !/\.(log|gz|json|jsonl|ndjson|txt)$/.test(word)) return;
  let exists = false;
  try {
    exists = isDynamicPattern(word) ? globSync(word, { onlyFiles: true, expandDirectories: false }).length > 0 : existsSync(word);
  } catch {
    exists = false;
  }
  if (!exists) return;
  const all = command === 'check' ? ', or check every trace with --all' : '; mcp-trace traces lists them';
  throw new UsageError(`'${word}' names log files, not a trace: give the trace id first (mcp-trace ${command} <traceId> '${word}' …)${all}`);
}
