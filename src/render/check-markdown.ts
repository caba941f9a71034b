import { checkPassed, type TraceCheck } from '../check/assertions.js';
import { formatDuration } from './duration.js';
import { tally, tallyLine } from '../check/tally.js';
import type { Trace } from '../types.js';
import { renderMermaidSequence } from './mermaid-sequence.js';
import { sanitize } from './sanitize.js';

/** Failing traces drawn as diagrams, at most: a step summary is capped at 1 MiB on GitHub. */
export const MAX_DIAGRAMS = 5;

/**
 * A GitHub step summary: a heading with the verdict, then one table row per assertion, then the
 * calls of each failing trace as a Mermaid sequence diagram (GitHub and GitLab draw it). Cell
 * text is escaped so log content cannot break the table or inject markup.
 */
/**
 * `drawn`: failing traces to draw, in check order (only the first MAX_DIAGRAMS are used, so a
 * caller need keep no more); the count of those left out comes from the checks.
 */
export function renderCheckMarkdown(checks: readonly TraceCheck[], drawn: readonly Trace[] = []): string {
  const t = tally(checks);
  const ok = t.assertionsFailed === 0 && t.tracesNotFound === 0;
  const out = [`### mcp-trace check: ${ok ? '✅' : '❌'} ${cell(tallyLine(t))}`, ''];
  out.push('| | trace | assertion | expected | seen |', '|---|---|---|---|---|');
  for (const check of checks) {
    const id = `\`${code(check.traceId)}\``;
    if (!check.found) {
      out.push(`| ❌ | ${id} | trace found | the trace in the logs | ${cell(check.notes[0] ?? 'not found')} |`);
      continue;
    }
    for (const r of check.results) {
      out.push(`| ${r.passed ? '✅' : '❌'} | ${id} | ${cell(r.name)} | ${cell(r.expected)} | ${cell(r.seen)} |`);
    }
  }
  out.push('');
  for (const check of checks.filter((c) => c.found)) {
    out.push(
      `- ${checkPassed(check) ? '✅' : '❌'} \`${code(check.traceId)}\`: ${formatDuration(check.durationMs ?? 0)}, ${check.spanCount} spans, ${check.errorCount} errors (${cell((check.services ?? []).join(', '))})`,
    );
  }
  const diagrams = drawn.slice(0, MAX_DIAGRAMS);
  for (const trace of diagrams) {
    out.push('', `#### \`${code(trace.traceId)}\``, '', '```mermaid', renderMermaidSequence(trace).trimEnd(), '```');
  }
  const failing = checks.filter((c) => c.found && !checkPassed(c)).length;
  if (diagrams.length > 0 && failing > diagrams.length) {
    out.push('', `${failing - diagrams.length} more failing traces are not drawn: \`mcp-trace show <traceId> --format mermaid\` draws one.`);
  }
  return out.join('\n') + '\n';
}

function cell(text: string): string {
  // Line breaks and tabs become spaces (a table row is one line); every other control, bidi or
  // invisible character is shown as an escape, then markdown's own characters are escaped.
  return sanitize(text.replace(/[\n\r\t]/g, ' '))
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .trim();
}

function code(text: string): string {
  // Inside a code span backslashes are literal, so `\u202e` shows as written.
  return sanitize(text.replace(/[`\u0000-\u001f]/g, ''));
}
