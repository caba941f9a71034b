// pino inside real OpenTelemetry spans, with @opentelemetry/instrumentation-pino at its defaults:
// the log-correlation mixin adds trace_id, span_id and trace_flags of the active span (and nothing
// else: no parent id, no service). pino's `name` is the logger name (the service, no service
// field); pino-http's end lines with `responseTime` (ms) and the `err` serializer. The instrumentation
// patches pino when it is require()d, so pino is loaded through require after registration.
import { createRequire } from 'node:module';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { runScenario, writeTruth, SPANS } from '../lib/scenario.mjs';
import { makeProviders, otelSpans, truthFromExporters } from '../lib/otel.mjs';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
registerInstrumentations({ instrumentations: [new PinoInstrumentation()] });
const require = createRequire(import.meta.url);
const pino = require('pino');

const loggers = Object.fromEntries(SPANS.map((s) => [s.service, pino({ name: s.service })]));
const providers = makeProviders();

const { traceId } = await runScenario({
  ...otelSpans(providers),
  start(span) {
    loggers[span.service].info({ req: { method: span.method, url: span.url } }, 'request received');
  },
  end(span, { durationNs, err }) {
    const responseTime = Number(durationNs / 1000n) / 1000;
    const log = loggers[span.service];
    if (err) log.error({ res: { statusCode: 500 }, err, responseTime }, 'request errored');
    else log.info({ res: { statusCode: 200 }, responseTime }, 'request completed');
  },
});

writeTruth({
  libraries: ['pino', '@opentelemetry/instrumentation-pino', '@opentelemetry/sdk-trace-base', '@opentelemetry/api'],
  traceId,
  spans: truthFromExporters(providers),
});
