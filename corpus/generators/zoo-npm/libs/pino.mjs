// Plain pino: `base` carries the service, a child logger per request carries the ids, the end line
// is pino-http's ("request completed" / "request errored", `res.statusCode`, `responseTime` in ms),
// the error goes through pino's standard `err` serializer.
import pino from 'pino';
import { runScenario, truthSpan, writeTruth, SPANS } from '../lib/scenario.mjs';

const loggers = Object.fromEntries(SPANS.map((s) => [s.service, pino({ base: { service: s.service } })]));

const { traceId, spans } = await runScenario({
  start(span) {
    span.log = loggers[span.service].child({
      trace_id: span.traceId,
      span_id: span.spanId,
      ...(span.parentSpanId ? { parent_span_id: span.parentSpanId } : {}),
    });
    span.log.info({ req: { method: span.method, url: span.url } }, 'request received');
  },
  end(span, { durationNs, err }) {
    const responseTime = Number(durationNs / 1000n) / 1000; // ms, µs precision
    span.httpStatus = err ? 500 : 200;
    if (err) span.log.error({ res: { statusCode: 500 }, err, responseTime }, 'request errored');
    else span.log.info({ res: { statusCode: 200 }, responseTime }, 'request completed');
  },
});

writeTruth({ libraries: ['pino'], traceId, spans: spans.map((s) => truthSpan(s)) });
