import type { Span } from '../types.js';
import { mentions } from './call-lines.js';
import { recordErrorReason } from './span-errors.js';

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
    if (span.error || span.placeholder || span.records.length === 0) continue;
    if (span.records.some((r) => r.durationMs !== null)) continue;
    const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
    if (!parent?.error || parent.service === span.service) continue;
    const lastLine = span.records[span.records.length - 1]!;
    const callerError = parent.records.find(
      (r) => recordErrorReason(r) !== null && r.timeNs !== null && lastLine.timeNs !== null && r.timeNs > lastLine.timeNs && mentions(r, span.service),
    );
    if (!callerError) continue;
    span.error = true;
    span.errorMessage = `stopped logging after "${lastLine.message}"; ${parent.service} saw: ${recordErrorReason(callerError)}`;
    marked++;
  }
  return marked;
}
