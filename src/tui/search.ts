import { recordFieldTexts } from '../render/record-fields.js';
import { sanitize } from '../render/sanitize.js';
import type { Span } from '../types.js';
import type { TraceModel } from './trace-model.js';

// Each span's searchable text, built on the first search of a trace and kept with it.
const haystacks = new WeakMap<TraceModel, string[]>();

/**
 * The spans whose service, name, span id, error, log messages or fields contain `query`, in tree
 * order; case-insensitive. The text searched is the sanitised text the view shows, so what a
 * user can read is what they can find (an escape shows as `\x1b`, and is found as such).
 */
export function searchSpans(model: TraceModel, query: string): number[] {
  const needle = query.toLowerCase();
  if (needle === '') return [];
  let texts = haystacks.get(model);
  if (!texts) haystacks.set(model, (texts = model.spans.map(haystackOf)));
  const out: number[] = [];
  texts.forEach((text, i) => {
    if (text.includes(needle)) out.push(i);
  });
  return out;
}

function haystackOf(span: Span): string {
  const parts = [span.service, span.name, span.spanId, span.errorMessage ?? ''];
  for (const record of span.records) {
    parts.push(record.message);
    if (record.error) parts.push(record.error);
    for (const field of recordFieldTexts(record)) parts.push(field);
  }
  // Sanitised one by one and joined by a raw newline, which no sanitised part holds: no match spans two parts.
  return parts.map((p) => sanitize(p).toLowerCase()).join('\n');
}
