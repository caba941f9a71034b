// pino with Datadog's log-trace correlation, the shape dd-trace's pino injection writes: a nested
// `dd` object with trace_id and span_id as DECIMAL strings of the low 64 bits, service, env,
// version. The 128-bit trace id is dd-trace's: 32-bit unix seconds, 32 zero bits, 64 random bits.
// Datadog logs carry no parent span id; this scenario adds `parent_span_id`, in the same decimal
// encoding as dd.span_id. `duration` is in nanoseconds, as on Datadog spans (its standard log
// attribute). Errors go to Datadog's standard attributes error.kind / error.message /
// error.stack, through pino's own `errorKey` option and an error serializer.
import pino from 'pino';
import { hex, runScenario, truthSpan, writeTruth, SPANS } from '../lib/scenario.mjs';

const dec = (h) => BigInt('0x' + h).toString(10);
const current = new Map(); // logger → the active span's dd fields (dd-trace's scope, in small)

const loggers = Object.fromEntries(
  SPANS.map((s) => {
    const dd = { service: s.service, env: 'prod', version: '1.4.2' };
    const log = pino({
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ status: label }) },
      messageKey: 'message',
      errorKey: 'error',
      serializers: {
        error: (e) => ({ kind: e.name, message: e.message, stack: e.stack }),
      },
      mixin: () => ({ dd: { ...dd, ...current.get(s.service) } }),
    });
    return [s.service, log];
  }),
);

const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
const traceId128 = `${seconds}00000000${hex(8)}`;

const { spans } = await runScenario({
  ids: () => ({ traceId: traceId128, spanIds: [hex(8), hex(8), hex(8)] }),
  start(span) {
    current.set(span.service, { trace_id: dec(span.traceId.slice(16)), span_id: dec(span.spanId) });
    span.log = loggers[span.service];
    const parent = span.parentSpanId ? { parent_span_id: dec(span.parentSpanId) } : {};
    span.log.info({ ...parent, http: { method: span.method, url: span.url } }, 'request received');
  },
  end(span, { durationNs, err }) {
    span.httpStatus = err ? 500 : 200;
    const parent = span.parentSpanId ? { parent_span_id: dec(span.parentSpanId) } : {};
    const fields = { ...parent, http: { method: span.method, url: span.url, status_code: span.httpStatus }, duration: Number(durationNs) };
    if (err) span.log.error({ ...fields, error: err }, 'request errored');
    else span.log.info(fields, 'request completed');
  },
});

const low64 = traceId128.slice(16);
writeTruth({
  libraries: ['pino'],
  traceId: low64,
  traceExtra: {
    traceId128,
    traceIdLogged: dec(low64),
    note: 'Datadog logs carry only the low 64 bits of the 128-bit trace id, in decimal (dd.trace_id). mcp-trace prints a Datadog decimal id as the 16 hex of those 64 bits, so traceId is that; traceId128 is the full id the tracer had, traceIdLogged the decimal string in the lines. Span ids are the hex of the decimal dd.span_id / parent_span_id.',
  },
  spans: spans.map((s) => truthSpan(s)),
});
