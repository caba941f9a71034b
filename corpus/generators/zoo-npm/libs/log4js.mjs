// log4js with log4js-json-layout (log4js has no JSON layout of its own): the category name is the
// only service (`categoryName`, no service field); the ids and the other fields are an object
// argument, which the layout spreads onto the line (`trace_id`, `span_id`, `parent_span_id`);
// `responseTime` in ms as log4js's connect logger's :response-time. An Error argument is
// formatted by the layout with util.format into `data`, so message and stack land there.
import log4js from 'log4js';
import jsonLayout from 'log4js-json-layout';
import { runScenario, truthSpan, writeTruth } from '../lib/scenario.mjs';

log4js.addLayout('json', jsonLayout);
log4js.configure({
  appenders: { out: { type: 'stdout', layout: { type: 'json' } } },
  categories: { default: { appenders: ['out'], level: 'info' } },
});

const ids = (span) => ({
  trace_id: span.traceId,
  span_id: span.spanId,
  ...(span.parentSpanId ? { parent_span_id: span.parentSpanId } : {}),
});

const { traceId, spans } = await runScenario({
  start(span) {
    span.log = log4js.getLogger(span.service);
    span.log.info('request received', { ...ids(span), method: span.method, url: span.url });
  },
  end(span, { durationNs, err }) {
    const responseTime = Math.round(Number(durationNs) / 1e6);
    span.httpStatus = err ? 500 : 200;
    const fields = { ...ids(span), method: span.method, url: span.url, status: span.httpStatus, responseTime };
    if (err) span.log.error('request errored', err, fields);
    else span.log.info('request completed', fields);
  },
});

await new Promise((resolve) => log4js.shutdown(resolve));
writeTruth({ libraries: ['log4js', 'log4js-json-layout'], traceId, spans: spans.map((s) => truthSpan(s)) });
