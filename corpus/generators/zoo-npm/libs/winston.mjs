// winston: format.combine(errors({ stack: true }), timestamp(), json()), `defaultMeta.service`,
// a child logger per request for the ids (trace_id / span_id as @opentelemetry/instrumentation-winston
// names them, plus parent_span_id), and winston's own profiler: startTimer() … done() writes
// `durationMs` (integer ms, from Date.now()). The failing end line passes the Error as the message,
// so format.errors() lifts its message and `stack` onto the line.
import winston from 'winston';
import { runScenario, truthSpan, writeTruth, SPANS } from '../lib/scenario.mjs';

const { combine, errors, timestamp, json } = winston.format;
const loggers = Object.fromEntries(
  SPANS.map((s) => [
    s.service,
    winston.createLogger({
      level: 'info',
      format: combine(errors({ stack: true }), timestamp(), json()),
      defaultMeta: { service: s.service },
      transports: [new winston.transports.Console()],
    }),
  ]),
);

// A service logs before its first request (start-up), as real ones do. It also warms winston up:
// without it the first request's first line costs several ms of first-call work, written after
// the span started, and the root span's start could not be read from any line.
for (const s of SPANS) loggers[s.service].info('service started');
const { traceId, spans } = await runScenario({
  start(span) {
    span.log = loggers[span.service].child({
      trace_id: span.traceId,
      span_id: span.spanId,
      ...(span.parentSpanId ? { parent_span_id: span.parentSpanId } : {}),
    });
    span.timer = span.log.startTimer();
    span.log.info('request received', { method: span.method, url: span.url });
  },
  end(span, { err }) {
    span.httpStatus = err ? 500 : 200;
    if (err) span.timer.done({ level: 'error', message: err, method: span.method, url: span.url, statusCode: 500 });
    else span.timer.done({ message: 'request completed', method: span.method, url: span.url, statusCode: 200 });
  },
});

writeTruth({ libraries: ['winston'], traceId, spans: spans.map((s) => truthSpan(s)) });
