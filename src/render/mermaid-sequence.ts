import { grpcCodeName } from '../normalise/grpc-codes.js';
import type { Span, Trace } from '../types.js';
import { formatDuration } from './duration.js';
import { GLYPH } from './glyphs.js';
import { mermaidName, mermaidText } from './mermaid-text.js';
import { spanStatus } from './span-status.js';

/**
 * `show --format mermaid`: the trace as a Mermaid sequence diagram, which GitHub and GitLab draw
 * in Markdown. Services are participants; a span entered from another service is a call from its
 * parent's service and a return with its status and duration (a crossed, dotted return when it
 * failed); a span nested in its own service is a message to itself. Roots and the error origin
 * get notes. Big traces are cut to `maxMessages` arrows and notes: the spans on the way to the error origin
 * are kept first, the rest in tree order while they fit, and a note says what was left out.
 */
export const DEFAULT_MAX_MESSAGES = 80;
/** Label lengths, in characters: Mermaid does not wrap message text. */
const NAME_MAX = 60;
const MESSAGE_MAX = 100;

export interface MermaidOptions {
  maxMessages?: number;
}

export function renderMermaidSequence(trace: Trace, options: MermaidOptions = {}): string {
  const maxMessages = Math.max(2, options.maxMessages ?? DEFAULT_MAX_MESSAGES);
  const kept = keptSpans(trace, maxMessages);
  const participants = new Map<string, string>();
  const alias = (service: string): string => {
    let id = participants.get(service);
    if (id === undefined) participants.set(service, (id = `s${participants.size}`));
    return id;
  };
  const body: string[] = [];
  let messages = 0;
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  // trace.spans is depth-first: a span's return is written once its whole subtree is written.
  const open: Span[] = [];
  const closeUntil = (depth: number): void => {
    while (open.length > 0 && open[open.length - 1]!.depth >= depth) {
      const span = open.pop()!;
      const parent = byId.get(span.parentSpanId!)!;
      body.push(`  ${alias(span.service)}${span.error ? '--x' : '-->>'}${alias(parent.service)}: ${returnLabel(span)}`);
      messages++;
    }
  };
  for (const span of trace.spans) {
    if (!kept.has(span)) continue;
    closeUntil(span.depth);
    const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
    const from = parent ? alias(parent.service) : alias(span.service);
    const to = alias(span.service);
    if (parent === undefined) {
      body.push(`  Note over ${to}: ${rootLabel(span)}`);
      messages++;
    } else if (parent.service === span.service) {
      body.push(`  ${from}${span.error ? '-x' : '->>'}${to}: ${callLabel(span)} · ${returnLabel(span)}`);
      messages++;
    } else {
      body.push(`  ${from}->>${to}: ${callLabel(span)}`);
      messages++;
      open.push(span);
    }
    if (span.errorOrigin) {
      const why = span.errorMessage ? `: ${mermaidText(span.errorMessage, MESSAGE_MAX)}` : '';
      body.push(`  Note over ${to}: ${GLYPH.error} error origin${why}`);
      messages++;
    }
  }
  closeUntil(0);

  const left = trace.spans.length - kept.size;
  const head = [
    'sequenceDiagram',
    `  %% mcp-trace show ${mermaidText(trace.traceId)}: ${formatDuration(trace.durationMs)}, ${trace.spans.length} spans, ${trace.errorCount} errors`,
  ];
  if (left > 0) head.push(`  %% ${left} of ${trace.spans.length} spans left out to keep the diagram under ${maxMessages} messages`);
  for (const [service, id] of participants) head.push(`  participant ${id} as ${mermaidName(service, NAME_MAX)}`);
  if (left > 0) {
    const all = [...participants.values()];
    const over = all.length > 1 ? `${all[0]},${all[all.length - 1]}` : all[0]!;
    body.push(`  Note over ${over}: ${left} more spans left out (${messages} messages drawn) — mcp-trace show ${mermaidText(trace.traceId)} lists them all`);
  }
  return [...head, ...body].join('\n') + '\n';
}

/**
 * The spans to draw, within the message budget: first the error origin and its ancestors (the
 * path people came to see), then every other span in tree order whose parent is drawn, while its
 * messages fit. A span left out takes its subtree with it, so nothing hangs without its caller.
 */
function keptSpans(trace: Trace, maxMessages: number): Set<Span> {
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const parentOf = (s: Span): Span | undefined => (s.parentSpanId === null ? undefined : byId.get(s.parentSpanId));
  const cost = (s: Span): number => {
    const parent = parentOf(s);
    // A root is a note; a call within a service one arrow, across services a call and a return.
    const arrows = parent === undefined ? 1 : parent.service === s.service ? 1 : 2;
    return arrows + (s.errorOrigin ? 1 : 0);
  };
  const kept = new Set<Span>();
  let used = 0;
  const path: Span[] = [];
  for (let s = trace.spans.find((x) => x.errorOrigin); s !== undefined; s = parentOf(s)) path.push(s);
  const pathCost = path.reduce((sum, s) => sum + cost(s), 0);
  // A path longer than the budget itself is not reserved: the cap holds, in tree order.
  if (pathCost <= maxMessages) {
    for (const s of path) kept.add(s);
    used = pathCost;
  }
  for (const span of trace.spans) {
    if (kept.has(span)) continue;
    const parent = parentOf(span);
    if (parent !== undefined && !kept.has(parent)) continue;
    if (used + cost(span) > maxMessages) continue;
    kept.add(span);
    used += cost(span);
  }
  return kept;
}

function callLabel(span: Span): string {
  const name = mermaidText(span.name, NAME_MAX) || mermaidText(span.spanId);
  return span.inferredParent ? `~ ${name}` : name;
}

function rootLabel(span: Span): string {
  return `${callLabel(span)} · ${returnLabel(span)}`;
}

/** Status, duration and markers: `503 · 4.6ms ✖`. */
function returnLabel(span: Span): string {
  const parts: string[] = [];
  const status = statusText(span);
  if (status) parts.push(status);
  parts.push(span.placeholder ? GLYPH.placeholder : formatDuration(span.durationMs));
  let label = parts.join(' · ');
  if (span.error) label += ` ${GLYPH.error}`;
  else if (span.warning) label += ` ${GLYPH.warningMark}`;
  if (span.outlivesParent) label += ` ${GLYPH.outlives}`;
  return label;
}

function statusText(span: Span): string | null {
  const status = spanStatus(span);
  if (status === null) return null;
  if (status.kind === 'http') return String(status.status);
  return `grpc ${grpcCodeName(status.code) ?? status.code}`;
}
