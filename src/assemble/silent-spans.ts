import type { Span } from '../types.js';
import { mentions } from './call-lines.js';

/**
 * A service that crashes mid-request (a panic, an OOM kill) logs no error: its span just stops,
 * and only its caller reports the failure ("upstream order-service failed: socket hang up").
 * Such a span is marked as failed, so the error origin lands where the request died and not on
 * the caller that merely noticed. Conservative on purpose: the span logged no end (no line with
 * a duration), went quiet before its caller's first error, and that error names its service.
 */
export function markSilentFailures(spans: readonly Span[], byId: ReadonlyMap<string, Span>): number {
  let marked = 0;
  for (const span of spans) {
    const lastLine = span.evidence.last;
    if (span.error || span.placeholder || lastLine === null || span.evidence.hasDuration) continue;
    const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
    if (!parent?.error || parent.service === span.service) continue;
    const callerError = parent.evidence.errorLines.find((l) => l.timeNs > lastLine.timeNs && mentions(l, span.service));
    if (!callerError) continue;
    span.error = true;
    span.errorMessage = `stopped logging after "${span.evidence.lastMessage}"; ${parent.service} saw: ${callerError.errorReason}`;
    marked++;
  }
  return marked;
}
