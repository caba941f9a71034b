import type { TraceCheck } from '../check/assertions.js';
import { tally } from '../check/tally.js';
import { escapeChar } from './sanitize.js';

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub test reporters): one testsuite per
 * trace, one testcase per assertion. A failed assertion is a <failure> with the expectation and
 * what was seen; a trace that was never found is an <error>, since nothing could be asserted.
 */
export function renderJunit(checks: readonly TraceCheck[], timestamp: Date = new Date()): string {
  const t = tally(checks);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites ${attrs({ name: 'mcp-trace check', tests: countCases(checks), failures: t.assertionsFailed, errors: t.tracesNotFound, time: 0 })}>`);
  for (const check of checks) {
    const failures = check.results.filter((r) => !r.passed).length;
    const suite = {
      name: `trace ${check.traceId}`,
      tests: check.found ? check.results.length : 1,
      failures,
      errors: check.found ? 0 : 1,
      skipped: 0,
      time: seconds(check.durationMs ?? 0),
      timestamp: timestamp.toISOString().replace(/\.\d{3}Z$/, ''),
    };
    out.push(`  <testsuite ${attrs(suite)}>`);
    out.push('    <properties>');
    out.push(`      <property ${attrs({ name: 'traceId', value: check.traceId })}/>`);
    if (check.found) {
      out.push(`      <property ${attrs({ name: 'spanCount', value: check.spanCount ?? 0 })}/>`);
      out.push(`      <property ${attrs({ name: 'errorCount', value: check.errorCount ?? 0 })}/>`);
      out.push(`      <property ${attrs({ name: 'services', value: (check.services ?? []).join(',') })}/>`);
    }
    out.push('    </properties>');
    const classname = `mcp-trace.${check.traceId}`;
    if (!check.found) {
      out.push(`    <testcase ${attrs({ name: 'trace found', classname, time: 0 })}>`);
      out.push(`      <error ${attrs({ message: check.notes[0] ?? 'trace not found', type: 'not-found' })}/>`);
      out.push('    </testcase>');
    }
    for (const r of check.results) {
      const head = `    <testcase ${attrs({ name: r.name, classname, time: 0 })}`;
      if (r.passed) {
        out.push(`${head}/>`);
        continue;
      }
      out.push(`${head}>`);
      out.push(`      <failure ${attrs({ message: r.seen, type: r.rule })}>${text(`${r.check}\nexpected: ${r.expected}\nseen: ${r.seen}`)}</failure>`);
      out.push('    </testcase>');
    }
    if (check.notes.length > 0 && check.found) out.push(`    <system-out>${text(check.notes.join('\n'))}</system-out>`);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}


function countCases(checks: readonly TraceCheck[]): number {
  return checks.reduce((n, c) => n + (c.found ? c.results.length : 1), 0);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${escapeXml(String(v)).replace(/"/g, '&quot;').replace(/\n/g, '&#10;')}"`)
    .join(' ');
}

function text(value: string): string {
  return escapeXml(value);
}

// Characters XML 1.0 cannot hold even escaped and no log text means as text: shown as U+FFFD.
const NOT_XML = /[\ufffe\uffff]/g;

// Characters that act on or hide in what a CI page or a terminal shows: C0 controls but line
// breaks and tabs (ESC, BEL, a carriage return that overwrites), DEL, C1 controls, bidi controls,
// zero-width characters, line separators, the BOM. Written as visible escapes (`\x1b`, `\u202e`),
// as the terminal shows them; C0 controls are not allowed in XML 1.0 at all.
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, '\ufffd')
    .replace(HIDDEN, escapeChar)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
