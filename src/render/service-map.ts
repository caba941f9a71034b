// `map`'s output modes: an aligned text layout for the terminal, a Mermaid flowchart, Graphviz
// DOT and JSON. Service and operation names come from log lines: escaped for each format.
import type { MapEdge, ServiceMap } from '../analyse/service-map.js';
import { formatDuration } from './duration.js';
import { stringifyForTerminal } from './json.js';
import { mermaidText } from './mermaid-text.js';
import { makePainter, type Painter } from './palette.js';
import { sanitize } from './sanitize.js';
import { displayWidth, padEndToWidth } from './text-width.js';

/** An edge failing this often is drawn red: worth a look first. */
export const ERROR_HEAVY = 0.05;

const pct = (rate: number) => (rate === 0 ? '0%' : rate < 0.001 ? '<0.1%' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`);

export function renderMapText(map: ServiceMap, options: { color: boolean }): string {
  if (map.services.length === 0) return 'no traces found (no line carried a trace id)\n';
  const paint = makePainter(options.color);
  const lines = [`service map · ${map.traces} trace${map.traces === 1 ? '' : 's'} · ${map.services.length} services · ${map.edges.length} edges`, ''];
  const rows = [['service', 'depth', 'spans', 'errors', 'self time']];
  for (const s of map.services) rows.push([sanitize(s.service), String(s.depth), String(s.spans), pct(s.errorRate), formatDuration(s.selfMs)]);
  lines.push(...table(rows, [false, true, true, true, true], (r, text) => (r > 0 && map.services[r - 1]!.errorRate >= ERROR_HEAVY && text.endsWith('%') ? paint.red(text) : text)));
  lines.push('');
  if (map.edges.length === 0) {
    lines.push('no calls between services (every trace stays in one service)');
    return lines.join('\n') + '\n';
  }
  const edgeRows = [['caller → callee', 'calls', 'errors', 'p50', 'p95', 'p99', 'operations']];
  for (const e of map.edges) {
    edgeRows.push([
      `${sanitize(e.caller)} → ${sanitize(e.callee)}`,
      e.inferred > 0 ? `${e.calls} (~${e.inferred})` : String(e.calls),
      pct(e.errorRate),
      formatDuration(e.latencyMs.p50),
      formatDuration(e.latencyMs.p95),
      formatDuration(e.latencyMs.p99),
      operationsText(e),
    ]);
  }
  lines.push(...table(edgeRows, [false, true, true, true, true, true, false], (r, text, c) => edgePaint(paint, r > 0 ? map.edges[r - 1]! : null, text, c)));
  if (map.edges.some((e) => e.inferred > 0)) lines.push('', paint.dim('(~n): of the calls, n were inferred from timing and call lines, not logged as parent ids'));
  return lines.join('\n') + '\n';
}

function edgePaint(paint: Painter, edge: MapEdge | null, text: string, column: number): string {
  if (!edge || edge.errorRate < ERROR_HEAVY || column > 2) return text;
  return paint.red(text);
}

function operationsText(e: MapEdge): string {
  const shown = e.operations.slice(0, 3).map(sanitize).join(', ');
  const more = e.operations.length - 3 + e.moreOperations;
  return more > 0 ? `${shown} +${more}` : shown;
}

/** Columns padded to their widest cell; numbers right-aligned. */
function table(rows: string[][], right: boolean[], paint: (row: number, text: string, column: number) => string): string[] {
  const widths = rows[0]!.map((_, c) => rows.reduce((w, r) => Math.max(w, displayWidth(r[c]!)), 0));
  return rows.map((row, r) =>
    row
      .map((cell, c) => {
        const padded = right[c] ? ' '.repeat(widths[c]! - displayWidth(cell)) + cell : padEndToWidth(cell, widths[c]!);
        return paint(r, padded, c);
      })
      .join('  ')
      .trimEnd(),
  );
}

/** A Mermaid flowchart; labels are quoted, with Mermaid's syntax written as entity codes (mermaid-text.ts). */
export function renderMapMermaid(map: ServiceMap): string {
  const id = new Map(map.services.map((s, i) => [s.service, `s${i}`]));
  const out = ['flowchart LR'];
  for (const s of map.services) out.push(`  ${id.get(s.service)}["${mermaidText(s.service)}"]`);
  const heavy: number[] = [];
  map.edges.forEach((e, i) => {
    out.push(`  ${id.get(e.caller)} -->|"${e.calls} calls · ${pct(e.errorRate)} errors · p95 ${formatDuration(e.latencyMs.p95)}"| ${id.get(e.callee)}`);
    if (e.errorRate >= ERROR_HEAVY) heavy.push(i);
  });
  if (heavy.length > 0) out.push(`  linkStyle ${heavy.join(',')} stroke:#d33,color:#d33`);
  return out.join('\n') + '\n';
}

/** Graphviz DOT; strings quoted with `"` and `\` escaped. */
export function renderMapDot(map: ServiceMap): string {
  const out = ['digraph services {', '  rankdir=LR;', '  node [shape=box];'];
  for (const s of map.services) out.push(`  ${dotString(s.service)};`);
  for (const e of map.edges) {
    const label = `${e.calls} calls, ${pct(e.errorRate)} errors, p95 ${formatDuration(e.latencyMs.p95)}`;
    out.push(`  ${dotString(e.caller)} -> ${dotString(e.callee)} [label=${dotString(label)}${e.errorRate >= ERROR_HEAVY ? ', color=red, fontcolor=red' : ''}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

export function renderMapJson(map: ServiceMap): string {
  return stringifyForTerminal(map) + '\n';
}

function dotString(text: string): string {
  return `"${sanitize(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
