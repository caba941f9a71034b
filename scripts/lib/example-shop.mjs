// A tiny simulated shop that writes the logs its five services would write while serving
// requests. Each handler advances a clock, logs the lines its real library would log, and calls
// its downstream services; scenario flags on the trace inject the failures the examples need.
//
//   api-gateway (pino) ─┬─ order-service (zap) ─┬─ inventory-service (pino)
//                       │                       └─ payment-service (zap) ── fraud-check (structlog)
//                       └─ inventory-service (pino)            (product pages: stock lookup)

import { pinoLine, structlogLine, zapLine, zapSeconds } from './log-styles.mjs';

export const SERVICES = {
  'api-gateway': { style: 'pino', port: 3000, hosts: ['api-gateway-6d5f7c9b8-2xkqp'] },
  'order-service': { style: 'zap', port: 8080, namesItself: true },
  'payment-service': { style: 'zap', port: 8080, namesItself: true },
  'fraud-check': { style: 'structlog', port: 8000 },
  'inventory-service': { style: 'pino', port: 3000, hosts: ['inventory-service-5c8d7f9b6-qz4lm', 'inventory-service-5c8d7f9b6-w8rtn'] },
};

/** Host clocks that are off. One inventory pod runs ~200 ms behind the rest of the cluster. */
export const HOST_SKEW_US = { 'inventory-service-5c8d7f9b6-w8rtn': -212_000 };

const STATUS_TEXT = { 402: 'Payment Required', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
const SKUS = ['SKU-10482', 'SKU-20917', 'SKU-31177', 'SKU-40065', 'SKU-55230', 'SKU-61809', 'SKU-73342'];

/**
 * @param {ReturnType<import('./prng.mjs').makeRng>} rng
 * @returns the shop: `serve(trace, request)` runs one request; `lines` holds each service's output.
 */
export function makeShop(rng) {
  /** service → [{t (true time, µs), seq, text}] */
  const lines = new Map(Object.keys(SERVICES).map((name) => [name, []]));
  let seq = 0;
  const pinoReqIds = new Map();

  /** Work that takes about `medianMs`, in µs. */
  const work = (medianMs, spread = 0.35) => Math.max(40, Math.round(rng.logNormal(medianMs, spread) * 1000));

  function raw(service, tUs, text) {
    lines.get(service).push({ t: tUs, seq: seq++, text });
  }

  function idFields(span, style) {
    const ids = { trace_id: span.trace.id };
    if (span.trace.ids === 'trace-id-only') return ids;
    ids.span_id = span.spanId;
    if (span.trace.ids === 'parent-ids' && span.parent) ids.parent_span_id = span.parent.spanId;
    if (style === 'pino') ids.trace_flags = '01';
    return ids;
  }

  /** Logs one line of `span` at true time `tUs`, as the span's host clock and library write it. */
  function log(span, tUs, level, msg, fields = {}, extra = {}) {
    const svc = SERVICES[span.service];
    const clockUs = tUs + (HOST_SKEW_US[span.host] ?? 0);
    let text;
    if (svc.style === 'zap') {
      const bound = { ...(svc.namesItself ? { service: span.service } : {}), ...idFields(span, 'zap') };
      text = zapLine({ tUs: clockUs, level, caller: extra.caller, msg, fields: { ...bound, ...fields }, stack: extra.stack });
    } else if (svc.style === 'pino') {
      text = pinoLine({
        tUs: clockUs, level, pid: 1, hostname: span.host,
        bindings: span.req ? { req: span.req } : undefined, mixin: idFields(span, 'pino'), fields, msg,
      });
    } else {
      text = structlogLine({ tUs: clockUs, level, context: idFields(span, 'structlog'), event: msg, fields });
    }
    if (extra.truncate) text = text.slice(0, Math.floor(text.length * extra.truncate));
    raw(span.service, tUs, text);
  }

  function newSpan(trace, service, parent, host) {
    return { trace, service, parent, host: host ?? SERVICES[service].hosts?.[0] ?? null, spanId: rng.hex(16), req: null };
  }

  /** pino-http's child logger binds the serialized request to every line of the request. */
  function bindPinoRequest(span, method, url, remoteAddress) {
    const id = (pinoReqIds.get(span.host) ?? 0) + 1;
    pinoReqIds.set(span.host, id);
    span.req = { id, method, url, remoteAddress, remotePort: rng.int(32768, 60999) };
  }

  const url = (service, path) => `http://${service}:${SERVICES[service].port}${path}`;

  /** An outgoing HTTP call from `from` at `t`; `target` names the service, handler and options. */
  function call(from, t, target) {
    const child = newSpan(from.trace, target.service, from, target.host);
    const sent = t + rng.int(250, 1400);
    const result = HANDLERS[target.handler](child, sent, target);
    if (result.connectionReset) return { t: result.t + rng.int(300, 900), connectionReset: true };
    const back = result.t + rng.int(250, 1200);
    if (target.timeoutUs && back - t > target.timeoutUs) return { t: t + target.timeoutUs, timedOut: true };
    return { t: back, status: result.status };
  }

  const goStack = (frames) => frames.map(([fn, file]) => `${fn}\n\t${file}`).join('\n');
  const nodeErr = (type, message, frames, extra = {}) => ({
    type, message, stack: `${type}: ${message}\n` + frames.map((f) => `    at ${f}`).join('\n'), ...extra,
  });

  // ── api-gateway (Node, pino + pino-http + OpenTelemetry instrumentation-pino) ──────────────
  function gateway(span, t, req) {
    const start = t;
    bindPinoRequest(span, req.method, req.url, `::ffff:10.42.0.${rng.int(2, 250)}`);
    log(span, t, 'info', 'incoming request');
    t += work(1.1);
    const up = req.upstream;
    log(span, t, 'info', `calling ${up.service}`, { 'peer.service': up.service, url: url(up.service, up.path) });
    const res = call(span, t, up);
    t = res.t;
    let status = res.status;
    if (res.connectionReset) {
      status = 502;
      log(span, t, 'error', `upstream ${up.service} failed`, {
        err: nodeErr('RequestError', 'socket hang up', ['TLSSocket.socketOnEnd (node:_http_client:524:23)', 'TLSSocket.emit (node:events:531:35)'], { code: 'ECONNRESET' }),
      });
    } else if (status >= 500) {
      log(span, t, 'error', `upstream ${up.service} failed`, {
        err: nodeErr('HTTPError', `Response code ${status} (${STATUS_TEXT[status]})`, ['Request.<anonymous> (/app/node_modules/got/dist/source/as-promise/index.js:86:42)', 'process.processTicksAndRejections (node:internal/process/task_queues:105:5)'], { code: 'ERR_NON_2XX_3XX_RESPONSE' }),
      });
    }
    t += work(0.4);
    const responseTime = Math.round((t - start) / 1000);
    if (status >= 500) {
      log(span, t, 'error', 'request errored', {
        res: { statusCode: status },
        err: nodeErr('Error', `failed with status code ${status}`, ['ServerResponse.onResFinished (/app/node_modules/pino-http/logger.js:115:39)', 'ServerResponse.emit (node:events:531:35)', 'onFinish (node:_http_outgoing:1005:10)']),
        responseTime,
      });
    } else {
      log(span, t, 'info', 'request completed', { res: { statusCode: status }, responseTime });
    }
    return { t, status };
  }

  // ── order-service (Go, zap) ───────────────────────────────────────────────────────────────
  function goStarted(span, t, method, path) {
    log(span, t, 'info', 'request started', { method, path }, { caller: 'httpserver/middleware.go:41' });
  }
  function goCompleted(span, t, start, method, path, status) {
    const level = status >= 500 ? 'error' : 'info';
    const stack = status >= 500 ? goStack([['github.com/acme/shop/pkg/httpserver.AccessLog.func1.1', '/app/pkg/httpserver/middleware.go:58'], ['net/http.HandlerFunc.ServeHTTP', '/usr/local/go/src/net/http/server.go:2220']]) : undefined;
    log(span, t, level, 'request completed', { method, path, status, latency: zapSeconds(t - start) }, { caller: 'httpserver/middleware.go:58', stack });
  }

  function orderCreate(span, t, target) {
    const start = t;
    const path = '/v1/orders';
    goStarted(span, t, 'POST', path);
    t += work(2.4);
    const orderId = `ord_${rng.hex(12)}`;
    const items = rng.int(1, 4);
    log(span, t, 'info', 'order created', { order_id: orderId, items, total_cents: rng.int(899, 24999) },
      { caller: 'orders/service.go:88', truncate: span.trace.scenario === 'truncated-line' ? 0.62 : undefined });
    if (span.trace.scenario === 'slow-db') {
      t += work(640, 0.1);
      log(span, t, 'warn', 'slow query', { table: 'orders', rows: 1 }, { caller: 'db/tracer.go:33' });
    }
    t += work(0.3);
    log(span, t, 'info', 'calling inventory-service', { 'peer.service': 'inventory-service', url: url('inventory-service', '/v1/reservations') }, { caller: 'clients/inventory.go:52' });
    const inv = call(span, t, { service: 'inventory-service', handler: 'reserve', host: span.trace.inventoryHost });
    t = inv.t + work(0.2);
    log(span, t, 'info', 'calling payment-service', { 'peer.service': 'payment-service', url: url('payment-service', '/v1/charges') }, { caller: 'clients/payment.go:61' });
    const pay = call(span, t, { service: 'payment-service', handler: 'charge' });
    t = pay.t;
    let status = 201;
    if (pay.status >= 500) {
      status = pay.status === 504 ? 504 : 500;
      log(span, t, 'error', 'payment failed', { order_id: orderId, error: `payment-service returned ${pay.status} ${STATUS_TEXT[pay.status]}` }, {
        caller: 'orders/service.go:131',
        stack: goStack([['github.com/acme/shop/order-service/internal/orders.(*Service).Create', '/app/internal/orders/service.go:131'], ['github.com/acme/shop/order-service/internal/orders.(*Handler).Create', '/app/internal/orders/handler.go:64']]),
      });
    } else if (pay.status === 402) {
      status = 402;
      log(span, t, 'warn', 'payment declined', { order_id: orderId }, { caller: 'orders/service.go:127' });
    } else {
      t += work(1.6);
      log(span, t, 'info', 'order confirmed', { order_id: orderId }, { caller: 'orders/service.go:142' });
    }
    t += work(0.3);
    goCompleted(span, t, start, 'POST', path, status);
    return { t, status };
  }

  function orderGet(span, t, target) {
    const start = t;
    const path = `/v1/orders/${target.orderId}`;
    goStarted(span, t, 'GET', path);
    t += work(3.2);
    if (span.trace.scenario === 'panic') {
      // net/http recovers a handler panic, prints it through the std logger (plain text, no
      // trace id) and drops the connection: the span never logs its end.
      const stamp = new Date(Math.floor(t / 1000)).toISOString().replace('T', ' ').replaceAll('-', '/').slice(0, 19);
      const panicText = [
        `${stamp} http: panic serving 10.42.0.31:${rng.int(40000, 60000)}: runtime error: invalid memory address or nil pointer dereference`,
        'goroutine 48213 [running]:',
        'net/http.(*conn).serve.func1()',
        '\t/usr/local/go/src/net/http/server.go:1947 +0xbe',
        'panic({0x9a4f20?, 0xf0e6b0?})',
        '\t/usr/local/go/src/runtime/panic.go:785 +0x132',
        'github.com/acme/shop/order-service/internal/orders.(*Handler).Get(0xc0001a2000, {0xb3e1c8, 0xc000412380}, 0xc0003f6a00)',
        '\t/app/internal/orders/handler.go:142 +0x2aa',
        'net/http.HandlerFunc.ServeHTTP(0xc000190e40, {0xb3e1c8, 0xc000412380}, 0xc0003f6a00)',
        '\t/usr/local/go/src/net/http/server.go:2220 +0x29',
        'created by net/http.(*Server).Serve in goroutine 1',
        '\t/usr/local/go/src/net/http/server.go:3360 +0x485',
      ];
      panicText.forEach((text) => raw(span.service, t, text));
      return { t, connectionReset: true };
    }
    log(span, t, 'debug', 'order loaded', { order_id: target.orderId, state: 'shipped' }, { caller: 'orders/handler.go:139' });
    t += work(0.4);
    goCompleted(span, t, start, 'GET', path, 200);
    return { t, status: 200 };
  }

  // ── payment-service (Go, zap) ─────────────────────────────────────────────────────────────
  function charge(span, t) {
    const start = t;
    const path = '/v1/charges';
    goStarted(span, t, 'POST', path);
    t += work(1.2);
    log(span, t, 'info', 'calling fraud-check', { 'peer.service': 'fraud-check', url: url('fraud-check', '/v1/score') }, { caller: 'fraud/client.go:47' });
    const fraud = call(span, t, { service: 'fraud-check', handler: 'score', timeoutUs: 3_000_000 });
    t = fraud.t;
    const failStack = goStack([['github.com/acme/shop/payment-service/internal/charge.(*Handler).Charge', '/app/internal/charge/handler.go:112'], ['net/http.HandlerFunc.ServeHTTP', '/usr/local/go/src/net/http/server.go:2220']]);
    let status;
    if (fraud.timedOut || fraud.status >= 500) {
      const error = fraud.timedOut
        ? 'Post "http://fraud-check:8000/v1/score": context deadline exceeded'
        : `fraud-check returned ${fraud.status} ${STATUS_TEXT[fraud.status]}`;
      status = fraud.timedOut ? 504 : 502;
      log(span, t, 'error', 'fraud check failed', { error }, { caller: 'charge/handler.go:112', stack: failStack });
    } else {
      const amount = rng.int(899, 24999);
      log(span, t, 'info', 'authorizing charge', { provider: 'stripe', amount_cents: amount, currency: 'EUR' }, { caller: 'charge/stripe.go:73' });
      t += work(210, 0.3);
      if (span.trace.scenario === 'declined') {
        status = 402;
        log(span, t, 'warn', 'charge declined', { provider: 'stripe', decline_code: 'insufficient_funds' }, { caller: 'charge/stripe.go:91' });
      } else {
        status = 201;
        log(span, t, 'info', 'charge authorized', { provider: 'stripe', charge_id: `ch_${rng.hex(24)}` }, { caller: 'charge/stripe.go:88' });
      }
    }
    t += work(0.3);
    goCompleted(span, t, start, 'POST', path, status);
    return { t, status };
  }

  // ── fraud-check (Python, structlog JSONRenderer) ──────────────────────────────────────────
  function score(span, t) {
    const start = t;
    const req = { method: 'POST', path: '/v1/score' };
    log(span, t, 'info', 'scoring request', { ...req, customer_id: `cus_${rng.hex(10)}` });
    t += work(3.5);
    let status = 200;
    if (span.trace.scenario === 'fraud-error') {
      status = 503;
      log(span, t, 'error', 'scoring failed', {
        exception: [
          'Traceback (most recent call last):',
          '  File "/app/fraud/api.py", line 57, in score',
          '    features = await feature_store.fetch(req.customer_id)',
          '  File "/app/fraud/features.py", line 41, in fetch',
          '    raise FeatureStoreUnavailable(f"redis {self.addr} connection refused")',
          'fraud.features.FeatureStoreUnavailable: redis fraud-features:6379 connection refused',
        ].join('\n'),
      });
      t += work(0.6);
    } else {
      if (span.trace.scenario === 'fraud-timeout') {
        t += work(3150, 0.05);
        log(span, t, 'warning', 'feature store slow, retrying', { attempt: 2, backend: 'redis://fraud-features:6379' });
        t += work(1600, 0.1);
      }
      t += work(18, 0.3);
      log(span, t, 'info', 'score computed', { model: 'gbm-v7', risk_score: Math.round(rng.next() * 0.3 * 1000) / 1000 });
      t += work(0.4);
    }
    const durationMs = Math.round((t - start) / 10) / 100;
    log(span, t, status >= 500 ? 'error' : 'info', 'request completed', { ...req, status_code: status, duration_ms: durationMs });
    return { t, status };
  }

  // ── inventory-service (Node, pino + pino-http) ────────────────────────────────────────────
  function inventory(span, t, method, path, msg, fields, medianMs, status) {
    const start = t;
    bindPinoRequest(span, method, path, `::ffff:10.42.1.${rng.int(2, 250)}`);
    log(span, t, 'info', msg, fields);
    t += work(medianMs);
    log(span, t, 'info', 'request completed', { res: { statusCode: status }, responseTime: Math.round((t - start) / 1000) });
    return { t, status };
  }
  const reserve = (span, t) =>
    inventory(span, t, 'POST', '/v1/reservations', 'reserving stock', { sku: rng.pick(SKUS), quantity: rng.int(1, 3) }, 4.5, 201);
  const stock = (span, t, target) =>
    inventory(span, t, 'GET', `/v1/stock/${target.sku}`, 'stock lookup', { sku: target.sku }, 2.2, 200);

  const HANDLERS = { orderCreate, orderGet, charge, score, reserve, stock };

  /** The three request types the gateway serves. */
  const REQUESTS = {
    checkout: () => ({ method: 'POST', url: '/api/orders', upstream: { service: 'order-service', handler: 'orderCreate', path: '/v1/orders' } }),
    product: () => {
      const sku = rng.pick(SKUS);
      return { method: 'GET', url: `/api/products/${sku}`, upstream: { service: 'inventory-service', handler: 'stock', path: `/v1/stock/${sku}`, sku } };
    },
    'order-status': () => {
      const orderId = `ord_${rng.hex(12)}`;
      return { method: 'GET', url: `/api/orders/${orderId}`, upstream: { service: 'order-service', handler: 'orderGet', path: `/v1/orders/${orderId}`, orderId } };
    },
  };

  /**
   * Serves one request at `tUs`.
   * @param {{id:string, ids:'parent-ids'|'span-ids'|'trace-id-only', scenario?:string, inventoryHost?:string}} trace
   * @param {'checkout'|'product'|'order-status'} kind
   */
  function serve(trace, kind, tUs) {
    const req = REQUESTS[kind]();
    if (trace.inventoryHost && req.upstream.service === 'inventory-service') req.upstream.host = trace.inventoryHost;
    return gateway(newSpan(trace, 'api-gateway', null), tUs, req);
  }

  return { serve, raw, lines };
}
