// roarr (prints only when ROARR_LOG=true; run.mjs sets it): a child logger per service with
// `application` in its context, the only service (no service field); the ids in the message
// context (context.trace_id, context.span_id, context.parent_span_id); `duration_ms`; the error as
// roarr's README does it, `error: serializeError(error)` (serialize-error).
import { Roarr } from 'roarr';
import { serializeError } from 'serialize-error';
import { runScenario, truthSpan, writeTruth, SPANS } from '../lib/scenario.mjs';

if (process.env.ROARR_LOG !== 'true') throw new Error('roarr prints nothing unless ROARR_LOG=true');

const loggers = Object.fromEntries(SPANS.map((s) => [s.service, Roarr.child({ application: s.service })]));

const { traceId, spans } = await runScenario({
  start(span) {
    span.log = loggers[span.service].child({
      trace_id: span.traceId,
      span_id: span.spanId,
      ...(span.parentSpanId ? { parent_span_id: span.parentSpanId } : {}),
    });
    span.log.info({ method: span.method, url: span.url }, 'request received');
  },
  end(span, { durationNs, err }) {
    const duration_ms = Number(durationNs / 1000n) / 1000;
    span.httpStatus = err ? 500 : 200;
    const fields = { method: span.method, url: span.url, statusCode: span.httpStatus, duration_ms };
    if (err) span.log.error({ ...fields, error: serializeError(err) }, 'request errored');
    else span.log.info(fields, 'request completed');
  },
});

writeTruth({ libraries: ['roarr', 'serialize-error'], traceId, spans: spans.map((s) => truthSpan(s)) });
