// @elastic/ecs-pino-format (no APM agent, apmIntegration off): `serviceName` writes service.name;
// the ids are ECS fields passed on the line: trace.id, transaction.id (each service's entry span is
// its transaction in Elastic APM's model, so transaction.id = span.id here), span.id, and parent.id
// (Elastic APM's parent field); event.duration in nanoseconds; the Error as `err`, which the format
// converts to error.type / error.message / error.stack_trace.
import pino from 'pino';
import { ecsFormat } from '@elastic/ecs-pino-format';
import { runScenario, truthSpan, writeTruth, SPANS } from '../lib/scenario.mjs';

const loggers = Object.fromEntries(
  SPANS.map((s) => [s.service, pino(ecsFormat({ apmIntegration: false, serviceName: s.service, serviceEnvironment: 'prod' }))]),
);

const { traceId, spans } = await runScenario({
  start(span) {
    span.log = loggers[span.service].child({
      trace: { id: span.traceId },
      transaction: { id: span.spanId },
      span: { id: span.spanId },
      ...(span.parentSpanId ? { parent: { id: span.parentSpanId } } : {}),
    });
    span.log.info({ http: { request: { method: span.method } }, url: { path: span.url } }, 'request received');
  },
  end(span, { durationNs, err }) {
    span.httpStatus = err ? 500 : 200;
    const fields = {
      http: { request: { method: span.method }, response: { status_code: span.httpStatus } },
      url: { path: span.url },
      event: { duration: Number(durationNs), outcome: err ? 'failure' : 'success' },
    };
    if (err) span.log.error({ ...fields, err }, 'request errored');
    else span.log.info(fields, 'request completed');
  },
});

writeTruth({ libraries: ['@elastic/ecs-pino-format', 'pino'], traceId, spans: spans.map((s) => truthSpan(s)) });
