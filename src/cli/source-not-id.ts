import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * `check 'logs/*.log' --no-errors` forgets the trace id, and the glob is taken for one: the
 * trace is then "not found" in standard input or in nothing. When the word in the id's place
 * names files that exist (a path, or a glob that matches one), say so instead. Ids never contain
 * a slash or glob characters, so nothing that is an id is refused. The glob library loads only
 * for such a word: a real id (the usual case) should not pay for it at start-up.
 */
export async function refuseSourceAsTraceId(word: string, command: 'show' | 'check' | 'diff'): Promise<void> {
  if (!/[/\\*?[]/.test(word) && !/\.(log|gz|json|jsonl|ndjson|txt)$/.test(word)) return;
  const { globSync, isDynamicPattern } = await import('tinyglobby');
  let exists = false;
  try {
    exists = isDynamicPattern(word) ? globSync(word, { onlyFiles: true, expandDirectories: false }).length > 0 : existsSync(word);
  } catch {
    exists = false;
  }
  if (!exists) return;
  const ids = command === 'diff' ? '<traceA> <traceB>' : '<traceId>';
  const all =
    command === 'check'
      ? ', or check every trace with --all'
      : command === 'diff'
        ? `, or compare one trace with its operation's baseline: mcp-trace diff <traceId> --baseline '${word}'`
        : '; mcp-trace traces lists them';
  throw new UsageError(`'${word}' names log files, not a trace: give the trace ${command === 'diff' ? 'ids' : 'id'} first (mcp-trace ${command} ${ids} '${word}' …)${all}`);
}
