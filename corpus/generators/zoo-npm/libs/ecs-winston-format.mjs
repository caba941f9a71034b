// @elastic/ecs-winston-format (no APM agent, apmIntegration off) as the logger's format:
// `serviceName` writes service.name; trace.id, transaction.id (= span.id: each service's entry span
// is its transaction), span.id and parent.id come from a child logger per request; event.duration
// in nanoseconds; the Error as `{ err }` meta, which the format converts to error.type /
// error.message / error.stack_trace.
import winston from 'winston';
import { ecsFormat } from '@elastic/ecs-winston-format';
import { runScenario, truthSpan, writeTruth, SPANS } from '../lib/scenario.mjs';

const loggers = Object.fromEntries(
  SPANS.map((s) => [
    s.service,
    winston.createLogger({
      level: 'info',
      format: ecsFormat({ apmIntegration: false, serviceName: s.service, serviceEnvironment: 'prod' }),
      transports: [new winston.transports.Console()],
    }),
  ]),
);

const { traceId, spans } = await runScenario({
  start(span) {
    span.log = loggers[span.service].child({
      trace: { id: span.traceId },
      transaction: { id: span.spanId },
      span: { id: span.spanId },
      ...(span.parentSpanId ? { parent: { id: span.parentSpanId } } : {}),
    });
    span.log.info('request received', { http: { request: { method: span.method } }, url: { path: span.url } });
  },
  end(span, { durationNs, err }) {
    span.httpStatus = err ? 500 : 200;
    const fields = {
      http: { request: { method: span.method }, response: { status_code: span.httpStatus } },
      url: { path: span.url },
      event: { duration: Number(durationNs), outcome: err ? 'failure' : 'success' },
    };
    if (err) span.log.error('request errored', { ...fields, err });
    else span.log.info('request completed', fields);
  },
});

writeTruth({ libraries: ['@elastic/ecs-winston-format', 'winston'], traceId, spans: spans.map((s) => truthSpan(s)) });
