// Go's net/http recovers a handler's panic and writes it through the server's std-library logger
// as plain text, never as the app's JSON: `2025/11/25 09:02:26 http: panic serving
// 10.0.0.1:5555: runtime error: invalid memory address or nil pointer dereference`, then the
// goroutine's frames. Such a line is an error of the service, of whichever request was running:
// it becomes a record of its own (the frames attach to it as its stack, line-groups.ts) with no
// trace id; collect/loose-errors.ts places it in a trace.
import type { LogRecord, RawLine } from '../types.js';
import { FILE_SERVICE_LABEL, LABEL_ALIASES } from './fields.js';
import { fromLabels } from './slot-reader.js';

/** Std `log` flags: date and time (LstdFlags), maybe microseconds, maybe `file.go:N: `; then net/http's text. */
const STD_LOG_PANIC = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (?:\S+\.go:\d+: )?(http: panic serving (\S+): (.*))$/;

/** The needle that lets such lines through the raw-byte prefilter of `show` (they carry no id). */
export const GO_PANIC_NEEDLE = 'http: panic serving ';

const SECOND_NS = 1_000_000_000n;

/**
 * The record of a std-log panic line, or null for any other line. Go's log stamps whole seconds
 * of local time (UTC in containers, taken as UTC here); the line before it in the same file was
 * written just before the panic, so its time, when it falls in that second, is the better clock.
 */
export function goPanicRecord(raw: RawLine, text: string, previous: LogRecord | null): LogRecord | null {
  if (!text.includes(GO_PANIC_NEEDLE)) return null;
  const m = STD_LOG_PANIC.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, micros, message, client, error] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return null;
  const stampNs = BigInt(ms) * 1_000_000n + (micros === undefined ? 0n : BigInt(micros.padEnd(6, '0')) * 1000n);
  const precision = micros === undefined ? SECOND_NS : 1000n;
  const previousNs = previous?.timeNs ?? null;
  const timeNs = previousNs !== null && previousNs >= stampNs && previousNs < stampNs + precision ? previousNs : stampNs;
  const labels = raw.labels;
  // Without a file name or labels (piped input), the app's line before it is the same process's.
  const service = fromLabels(labels, LABEL_ALIASES.service) ?? labels?.[FILE_SERVICE_LABEL] ?? previous?.service ?? null;
  return {
    timeNs,
    level: 'error',
    message: message!,
    service,
    traceId: null,
    spanId: null,
    parentSpanId: null,
    durationMs: null,
    error: error!,
    spanName: null,
    host: fromLabels(labels, LABEL_ALIASES.host),
    attributes: { 'client.address': client! },
    looseError: true,
    origin: raw.origin,
    lineNo: raw.lineNo,
  };
}
