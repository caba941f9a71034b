// bunyan: the logger `name` is the only service (no service field), a child logger per request
// carries the ids (the OTel convention trace_id / span_id, plus parent_span_id), the end line has
// restify's audit-logger `latency` (ms), the error goes through bunyan.stdSerializers.err.
import bunyan from 'bunyan';
import { runScenario, truthSpan, writeTruth, SPANS } from '../lib/scenario.mjs';

const loggers = Object.fromEntries(
  SPANS.map((s) => [s.service, bunyan.createLogger({ name: s.service, serializers: bunyan.stdSerializers })]),
);

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
    const latency = Math.round(Number(durationNs) / 1e6); // restify's audit logger: integer ms
    span.httpStatus = err ? 500 : 200;
    if (err) span.log.error({ err, res: { statusCode: 500 }, latency }, 'request errored');
    else span.log.info({ res: { statusCode: 200 }, latency }, 'request completed');
  },
});

writeTruth({ libraries: ['bunyan'], traceId, spans: spans.map((s) => truthSpan(s)) });
