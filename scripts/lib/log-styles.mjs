// For the bench only (scripts/bench-mcp.mjs): how zap, pino and structlog lay out a JSON line
// (key order, time and level encodings, duration units), imitated so the bench can write large
// synthetic files fast. It is an imitation, not the libraries: examples/ and corpus/ are written
// by the real libraries (corpus/generators/), and no test reads this module's output.

const PINO_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * zap production encoder: level, ts (float epoch seconds), caller, msg, then the logger's
 * With() fields and the call's fields, and the stacktrace last (zap adds one at error level).
 * @param {{tUs:number, level:string, caller:string, msg:string, fields?:object, stack?:string}} e
 */
export function zapLine(e) {
  const line = { level: e.level, ts: e.tUs / 1e6, caller: e.caller, msg: e.msg, ...e.fields };
  if (e.stack) line.stacktrace = e.stack;
  return JSON.stringify(line);
}

/** zap's SecondsDurationEncoder: a duration is a float number of seconds. */
export const zapSeconds = (us) => us / 1e6;

/**
 * pino: numeric level, epoch-ms `time`, pid and hostname, child bindings, mixin fields (where
 * OpenTelemetry's instrumentation puts trace_id/span_id/trace_flags), the call's object, and
 * `msg` last.
 * @param {{tUs:number, level:string, pid:number, hostname:string, bindings?:object, mixin?:object, fields?:object, msg:string}} e
 */
export function pinoLine(e) {
  return JSON.stringify({
    level: PINO_LEVELS[e.level],
    time: Math.floor(e.tUs / 1000),
    pid: e.pid,
    hostname: e.hostname,
    ...e.bindings,
    ...e.mixin,
    ...e.fields,
    msg: e.msg,
  });
}

/**
 * structlog's JSONRenderer (json.dumps defaults, so `", "` and `": "` separators): bound
 * contextvars first, then the event and its keys, then `level` and an ISO-8601 UTC `timestamp`
 * with microseconds, as add_log_level and TimeStamper(fmt="iso") append them.
 * @param {{tUs:number, level:string, context?:object, event:string, fields?:object}} e
 */
export function structlogLine(e) {
  const record = { ...e.context, event: e.event, ...e.fields, level: e.level, timestamp: isoMicros(e.tUs) };
  return pythonJson(record);
}

/** `2025-11-25T09:00:00.123456Z` from epoch microseconds. */
export function isoMicros(tUs) {
  const ms = Math.floor(tUs / 1000);
  const micros = String(Math.round(tUs) % 1000).padStart(3, '0');
  return new Date(ms).toISOString().slice(0, 23) + micros + 'Z';
}

/** json.dumps(obj) with Python's default separators; the values here are plain JSON ones. */
function pythonJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(pythonJson).join(', ') + ']';
  return '{' + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ': ' + pythonJson(v)).join(', ') + '}';
}
