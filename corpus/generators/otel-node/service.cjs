'use strict';
// One service of the otel-node corpus. Started by run.mjs with child_process.fork:
//   SERVICE=<name> OUT_DIR=<dir> [SKEW_MS=<n>] [<DEP>_URL=http://127.0.0.1:port ...]
// CommonJS on purpose: OpenTelemetry's require hooks patch `http` and `pino` when they are
// required after registerInstrumentations(), with no ESM loader flags.
//
// Every log line is written by pino. Three loggers write the same calls at the same time:
//   a/<service>.log  the instrumentation-pino default (trace_id, span_id, trace_flags)
//   b/<service>.log  + a pino mixin (service_name, parent_span_id) + span start/end lines
//                    logged by a SpanProcessor
//   c/<service>.log  only in the process with SKEW_MS: pino's `timestamp` option shifted
// Ground truth is the InMemorySpanExporter's finished spans, written on the driver's 'dump'.

const path = require('node:path');
const fs = require('node:fs');

const SERVICE = process.env.SERVICE;
const OUT_DIR = process.env.OUT_DIR;
const SKEW_MS = Number(process.env.SKEW_MS || 0);

const api = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { SimpleSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { hrTimeToMilliseconds } = require('@opentelemetry/core');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino');

const { trace, context, SpanKind, SpanStatusCode, ROOT_CONTEXT } = api;
const KIND = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS = ['UNSET', 'OK', 'ERROR'];

const exporter = new InMemorySpanExporter();
let spanLogger = null; // the b logger, created once pino is loaded (after instrumentation)

// A real SpanProcessor that logs span start and end through pino (variant b only). The line is
// logged inside the span's own context, so instrumentation-pino stamps the span's own ids.
const spanLogProcessor = {
  onStart(span, parentContext) {
    if (!spanLogger) return;
    context.with(trace.setSpan(parentContext || ROOT_CONTEXT, span), () => {
      spanLogger.info({ span_name: span.name, span_kind: KIND[span.kind] }, 'span started');
    });
  },
  onEnd(span) {
    if (!spanLogger) return;
    const fields = {
      span_name: span.name,
      span_kind: KIND[span.kind],
      duration_ms: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000,
      status: STATUS[span.status.code],
    };
    if (span.status.code === SpanStatusCode.ERROR && span.status.message) fields.status_message = span.status.message;
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => spanLogger.info(fields, 'span ended'));
  },
  forceFlush() { return Promise.resolve(); },
  shutdown() { return Promise.resolve(); },
};

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': SERVICE }),
  spanProcessors: [new SimpleSpanProcessor(exporter), spanLogProcessor],
});
provider.register();
registerInstrumentations({
  instrumentations: [new HttpInstrumentation(), new PinoInstrumentation({ disableLogSending: true })],
});

// Required after the instrumentations are registered, so both are patched.
const http = require('node:http');
const pino = require('pino');
const pinoHttp = require('pino-http');

const dest = (variant) =>
  pino.destination({ dest: path.join(OUT_DIR, variant, `${SERVICE}.log`), sync: true, mkdir: true });

const loggerA = pino({}, dest('a'));
const loggerB = pino(
  {
    mixin() {
      const span = trace.getSpan(context.active());
      const fields = { service_name: SERVICE };
      const parent = span && span.parentSpanContext;
      if (parent && parent.spanId) fields.parent_span_id = parent.spanId;
      return fields;
    },
  },
  dest('b'),
);
const loggerC = SKEW_MS
  ? pino({ timestamp: () => `,"time":${Date.now() + SKEW_MS}` }, dest('c'))
  : null;
spanLogger = loggerB;
const loggers = [loggerA, loggerB, loggerC].filter(Boolean);

// One pino-http middleware per logger: each logs "incoming request" when called and
// "request completed"/"request errored" with res.statusCode and responseTime when the response
// finishes. quietReqLogger: the per-request child loggers carry only reqId.
const levelFor = (req, res, err) =>
  err || res.err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
const httpLoggers = loggers.map((logger) =>
  pinoHttp({
    logger,
    quietReqLogger: true,
    customLogLevel: levelFor,
    customReceivedMessage: (req) => `incoming request ${req.method} ${req.url}`,
  }),
);

// Writes one call to every logger (the same call, so a/b/c hold the same lines).
function fanOut(list) {
  const at = (level) => (obj, msg) => { for (const l of list) l[level](obj, msg); };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
const processLog = fanOut(loggers);

// ---- small deterministic helpers -------------------------------------------------------------
function prng(seedText) {
  let h = 2166136261;
  for (const ch of seedText) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  let s = h >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(SERVICE);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = (min, max) => sleep(min + Math.round(rnd() * (max - min)));

const tracer = trace.getTracer(`${SERVICE}-app`, '1.0.0');

// A manual span around async work: exceptions are recorded and the span set to ERROR.
async function inSpan(name, attributes, fn) {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      throw err;
    } finally {
      span.end();
    }
  });
}

class HttpError extends Error {
  constructor(status, message, cause) {
    super(message, cause ? { cause } : undefined);
    this.name = 'HttpError';
    this.status = status;
  }
}

// POST JSON with node's (instrumented) http client: the client span carries traceparent.
function postJson(log, upstream, url, body, { timeoutMs } = {}) {
  const data = JSON.stringify(body);
  const started = Date.now();
  log.info({ upstream, url, method: 'POST' }, `calling ${upstream}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (buf += c));
        res.on('end', () => {
          let json;
          try { json = JSON.parse(buf); } catch { json = { raw: buf }; }
          const upstreamLatencyMs = Date.now() - started;
          const fields = { upstream, statusCode: res.statusCode, upstreamLatencyMs };
          if (res.statusCode >= 400) log.warn(fields, `${upstream} answered ${res.statusCode}`);
          else log.info(fields, `${upstream} answered ${res.statusCode}`);
          resolve({ status: res.statusCode, body: json });
        });
      },
    );
    if (timeoutMs) {
      req.setTimeout(timeoutMs, () => {
        const err = new Error(`${upstream} did not answer within ${timeoutMs}ms`);
        err.code = 'ETIMEDOUT';
        req.destroy(err);
      });
    }
    req.on('error', reject);
    req.end(data);
  });
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let buf = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (buf += c));
    req.on('end', () => {
      try { resolve(buf ? JSON.parse(buf) : {}); } catch (e) { reject(e); }
    });
    req.on('error', reject);
  });
}

function send(res, status, body) {
  if (res.writableEnded || res.destroyed) return;
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

const url = (dep, p) => `${process.env[`${dep}_URL`]}${p}`;

// ---- the services ----------------------------------------------------------------------------
const handlers = {
  'api-gateway': {
    'POST /api/orders': async (req, res, log, body) => {
      res.setHeader('x-trace-id', trace.getSpan(context.active()).spanContext().traceId);
      await inSpan('gateway.route', { 'http.route': '/api/orders' }, async (span) => {
        log.info({ route: '/api/orders', upstream: 'order-service', customerId: body.customerId }, 'routing order request');
        await inSpan('auth.verify', { 'enduser.id': body.customerId }, () => work(0, 1));
        let answer;
        try {
          answer = await postJson(log, 'order-service', url('ORDER', '/v1/orders'), body, { timeoutMs: 3000 });
        } catch (err) {
          log.error({ err, upstream: 'order-service' }, 'order-service unreachable');
          span.recordException(err);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          res.err = err;
          return send(res, 502, { error: 'bad_gateway' });
        }
        if (answer.status >= 500) {
          const err = new HttpError(answer.status, `order-service returned ${answer.status}`);
          log.error({ err, upstream: 'order-service', statusCode: answer.status }, 'order failed upstream');
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          res.err = err;
          return send(res, answer.status === 504 ? 504 : 502, { error: answer.body.error || 'upstream_error' });
        }
        if (answer.status >= 400) {
          log.warn({ upstream: 'order-service', statusCode: answer.status, reason: answer.body.error }, 'order rejected');
          return send(res, answer.status, answer.body);
        }
        log.info({ orderId: answer.body.orderId }, 'order accepted');
        send(res, 201, answer.body);
      });
    },
  },

  'order-service': {
    'POST /v1/orders': async (req, res, log, body) => {
      const orderId = `ord-${body.n}`;
      await inSpan('order.process', { 'order.id': orderId }, async (span) => {
        const fields = { orderId, customerId: body.customerId, itemCount: body.items.length };
        if (body.items.length > 50) fields.items = body.items; // bulk orders log the whole cart
        log.info(fields, 'processing order');
        await inSpan('order.validate', {}, () => work(0, 2));
        await inSpan('db.query', { 'db.system': 'postgresql', 'db.statement': 'SELECT id, tier FROM customers WHERE id = $1' }, async () => {
          await work(1, 4);
          log.info({ db: 'orders', statement: 'SELECT id, tier FROM customers WHERE id = $1', rows: 1 }, 'customer loaded');
        });

        const fulfil = async () => {
          // inventory: a 1 s timeout; a slow reservation is abandoned (504) while it carries on
          let inv;
          try {
            inv = await postJson(log, 'inventory-service', url('INVENTORY', '/v1/reservations'),
              { orderId, items: body.items }, { timeoutMs: 1000 });
          } catch (err) {
            log.error({ err, upstream: 'inventory-service' }, 'stock reservation failed');
            throw new HttpError(err.code === 'ETIMEDOUT' ? 504 : 502, err.message, err);
          }
          if (inv.status >= 500) throw new HttpError(502, `inventory-service returned ${inv.status}`);

          const pay = await postJson(log, 'payment-service', url('PAYMENT', '/v1/charges'),
            { orderId, customerId: body.customerId, card: body.card, amount: body.amount, currency: 'EUR',
              lineItems: body.items.length > 50 ? body.items : undefined });
          if (pay.status === 402) {
            log.warn({ upstream: 'payment-service', statusCode: 402, reason: pay.body.error }, 'payment declined');
            return { status: 402, body: { error: 'payment_declined', orderId } };
          }
          if (pay.status >= 500) {
            const err = new HttpError(500, `payment-service returned ${pay.status}`);
            log.error({ err, upstream: 'payment-service', statusCode: pay.status }, 'payment failed');
            throw err;
          }
          await inSpan('db.query', { 'db.system': 'postgresql', 'db.statement': 'INSERT INTO orders' }, async () => {
            await work(1, 5);
            log.info({ db: 'orders', statement: 'INSERT INTO orders (id, customer_id, total) VALUES ($1, $2, $3)', rows: 1 }, 'order stored');
          });
          return { status: 201, body: { orderId, chargeId: pay.body.chargeId } };
        };

        let result;
        try {
          if (body.promo) {
            // the deep path: pricing rules nest three spans deep before fulfilment
            result = await inSpan('order.price', { 'order.id': orderId }, async () => {
              log.info({ orderId, promo: body.promo }, 'pricing order');
              return inSpan('pricing.rules', { 'pricing.promo': body.promo }, async () => {
                log.info({ rules: ['bundle-discount', 'loyalty-tier', 'free-shipping'] }, 'applying promotion rules');
                return inSpan('pricing.rule.eval', { 'pricing.rule': 'bundle-discount' }, async () => {
                  await work(1, 3);
                  log.info({ rule: 'bundle-discount', discount: 0.1 }, 'promotion rule matched');
                  return fulfil();
                });
              });
            });
          } else {
            result = await fulfil();
          }
        } catch (err) {
          span.recordException(err);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          res.err = err;
          return send(res, err.status || 500, { error: err.status === 504 ? 'inventory_timeout' : 'order_failed', orderId });
        }
        if (result.status === 201) log.info({ orderId }, 'order created');
        send(res, result.status, result.body);
      });
    },
  },

  'inventory-service': {
    'POST /v1/reservations': async (req, res, log, body) => {
      const reservationId = `res-${body.orderId}`;
      await inSpan('inventory.reserve', { 'order.id': body.orderId }, async () => {
        log.info({ orderId: body.orderId, skus: body.items.slice(0, 5).map((i) => i.sku), itemCount: body.items.length }, 'reserving stock');
        const lookup = async (sku) => {
          const hit = sku.charCodeAt(sku.length - 1) % 2 === 0 && sku !== 'SKU-SLOW';
          await inSpan('cache.get', { 'db.system': 'redis', 'cache.key': `stock:${sku}` }, async () => {
            await work(0, 2);
            log.info({ key: `stock:${sku}`, hit }, 'cache lookup');
          });
          if (!hit) {
            await inSpan('db.query', { 'db.system': 'postgresql', 'db.statement': 'SELECT qty FROM stock WHERE sku = $1 FOR UPDATE' }, async () => {
              if (sku === 'SKU-SLOW') {
                log.warn({ sku, lockWaitMs: 1600 }, 'stock row locked, waiting');
                await sleep(1600);
              } else {
                await work(2, 6);
              }
              log.info({ db: 'inventory', statement: 'SELECT qty FROM stock WHERE sku = $1 FOR UPDATE', sku, rows: 1 }, 'stock row read');
            });
          }
        };
        const items = body.items.length > 50 ? body.items.slice(0, 3) : body.items; // bulk: sample
        for (const item of items) {
          if (item.sku.startsWith('KIT-')) {
            await inSpan('kit.expand', { 'kit.sku': item.sku }, async () => {
              const components = [`${item.sku}-A`, `${item.sku}-B`];
              log.info({ kit: item.sku, components }, 'expanding kit');
              for (const c of components) {
                await inSpan('component.reserve', { 'component.sku': c }, async () => {
                  log.info({ component: c, qty: item.qty }, 'reserving component');
                  await lookup(c);
                });
              }
            });
          } else {
            await lookup(item.sku);
          }
        }
        log.info({ reservationId, orderId: body.orderId }, 'stock reserved');
      });
      send(res, 201, { reservationId });
    },
  },

  'payment-service': {
    'POST /v1/charges': async (req, res, log, body) => {
      const chargeId = `ch-${body.orderId}`;
      await inSpan('payment.authorize', { 'payment.amount': body.amount }, async (span) => {
        const fields = { orderId: body.orderId, amount: body.amount, currency: body.currency, card_last4: body.card.last4 };
        if (body.lineItems) fields.lineItems = body.lineItems;
        log.info(fields, 'authorizing payment');
        let score;
        for (let attempt = 1; attempt <= 2; attempt++) {
          score = await postJson(log, 'fraud-check', url('FRAUD', '/v1/score'),
            { orderId: body.orderId, customerId: body.customerId, amount: body.amount });
          if (score.status !== 503) break;
          if (attempt < 2) {
            log.warn({ upstream: 'fraud-check', attempt, statusCode: 503, retryInMs: 20 }, 'fraud-check unavailable, retrying');
            await sleep(20);
          }
        }
        if (score.status >= 500) {
          const err = new HttpError(500, `fraud-check returned ${score.status}`);
          log.error({ err, upstream: 'fraud-check', statusCode: score.status }, 'fraud screening failed');
          span.recordException(err);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          res.err = err;
          return send(res, 500, { error: 'fraud_check_failed' });
        }
        if (body.card.last4 === '0002') {
          await work(1, 3);
          log.warn({ orderId: body.orderId, decline_code: 'insufficient_funds', card_last4: '0002' }, 'card declined by issuer');
          return send(res, 402, { error: 'insufficient_funds' });
        }
        await inSpan('ledger.write', { 'payment.charge_id': chargeId }, async () => {
          await inSpan('db.query', { 'db.system': 'postgresql', 'db.statement': 'INSERT INTO ledger' }, async () => {
            await work(1, 4);
            log.info({ db: 'payments', statement: 'INSERT INTO ledger (charge_id, amount) VALUES ($1, $2)', rows: 1 }, 'ledger entry written');
          });
        });
        log.info({ chargeId, score: score.body.score }, 'payment captured');
        send(res, 201, { chargeId });
      });
    },
  },

  'fraud-check': {
    'POST /v1/score': (() => {
      const warmed = new Set();
      return async (req, res, log, body) => {
        if (body.customerId === 'cust-warmup' && !warmed.has(body.orderId)) {
          warmed.add(body.orderId);
          log.warn({ model: 'gbm-v12', state: 'loading' }, 'model not loaded yet, shedding request');
          return send(res, 503, { error: 'model_loading' });
        }
        await inSpan('fraud.score', { 'order.id': body.orderId }, async () => {
          log.info({ orderId: body.orderId, customerId: body.customerId, amount: body.amount }, 'scoring transaction');
          try {
            await inSpan('features.load', { 'enduser.id': body.customerId }, async () => {
              await inSpan('cache.get', { 'db.system': 'redis', 'cache.key': `features:${body.customerId}` }, async () => {
                await work(1, 3);
                if (body.customerId === 'cust-shard7') {
                  const err = new Error('redis fraud-features:6379 connection refused');
                  err.name = 'FeatureStoreUnavailable';
                  err.code = 'ECONNREFUSED';
                  log.error({ err, key: `features:${body.customerId}` }, 'feature store unavailable');
                  throw err;
                }
                log.info({ key: `features:${body.customerId}`, hit: true }, 'features loaded');
              });
            });
          } catch (err) {
            res.err = err;
            return send(res, 500, { error: 'feature_store_unavailable' });
          }
          await inSpan('model.evaluate', { 'model.name': 'gbm-v12' }, async () => {
            await work(1, 4);
            log.info({ model: 'gbm-v12', score: 0.12 }, 'model evaluated');
          });
          send(res, 200, { score: 0.12 });
        });
      };
    })(),
  },
}[SERVICE];

const server = http.createServer(async (req, res) => {
  for (const mw of httpLoggers) mw(req, res);
  const log = fanOut(req.allLogs);
  const handler = handlers[`${req.method} ${req.url}`];
  try {
    const body = await readJson(req);
    if (!handler) return send(res, 404, { error: 'not_found' });
    await handler(req, res, log, body);
  } catch (err) {
    log.error({ err }, 'unhandled error');
    res.err = err;
    send(res, 500, { error: 'internal' });
  }
});

function toTruth(s) {
  const ns = (t) => (BigInt(t[0]) * 1000000000n + BigInt(t[1])).toString();
  return {
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: (s.parentSpanContext && s.parentSpanContext.spanId) || null,
    service: SERVICE,
    name: s.name,
    kind: KIND[s.kind].toLowerCase(),
    startUnixNano: ns(s.startTime),
    endUnixNano: ns(s.endTime),
    durationMs: hrTimeToMilliseconds(s.duration),
    status: STATUS[s.status.code],
    statusMessage: s.status.message || null,
    httpStatus: s.attributes['http.response.status_code'] ?? s.attributes['http.status_code'] ?? null,
  };
}

process.on('message', (msg) => {
  if (msg && msg.type === 'dump') {
    const spans = exporter.getFinishedSpans().map(toTruth);
    fs.writeFileSync(path.join(OUT_DIR, `spans-${SERVICE}.json`), JSON.stringify(spans));
    server.close();
    for (const l of loggers) l.flush && l.flush();
    process.send({ type: 'dumped', spans: spans.length }, () => process.exit(0));
  }
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  processLog.info({ port }, `${SERVICE} listening on 127.0.0.1:${port}`);
  process.send({ type: 'ready', port });
});
