// A tiny simulated shop that decides what its five services log while serving requests. Each
// handler advances a clock, records the log calls its service makes (level, message, fields, the
// span's ids, the host clock's time) and calls its downstream services; scenario flags on the
// trace inject the failures the examples need. It formats no line: the writers hand each recorded
// call to the service's real library (pino-writer.mjs, zap/main.go, structlog/fraud_check.py).
//
//   api-gateway (pino) ─┬─ order-service (zap) ─┬─ inventory-service (pino)
//                       │                       └─ payment-service (zap) ── fraud-check (structlog)
//                       └─ inventory-service (pino)            (product pages: stock lookup)

export const SERVICES = {
  'api-gateway': { style: 'pino', port: 3000, hosts: ['api-gateway-6d5f7c9b8-2xkqp'] },
  'order-service': { style: 'zap', port: 8080 },
  'payment-service': { style: 'zap', port: 8080 },
  'fraud-check': { style: 'structlog', port: 8000 },
  'inventory-service': { style: 'pino', port: 3000, hosts: ['inventory-service-5c8d7f9b6-qz4lm', 'inventory-service-5c8d7f9b6-w8rtn'] },
};

/** Host clocks that are off. One inventory pod runs ~200 ms behind the rest of the cluster. */
export const HOST_SKEW_US = { 'inventory-service-5c8d7f9b6-w8rtn': -212_000 };

const STATUS_TEXT = { 402: 'Payment Required', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
/** What a browser sends the gateway, and what Node's fetch or Go's http.Client send a service. */
const GATEWAY_HEADERS = { host: 'shop.example.com', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', accept: 'application/json' };
const INTERNAL_HEADERS = (service, caller) => caller === 'api-gateway'
  ? { host: `${service}:${SERVICES[service].port}`, connection: 'keep-alive', accept: '*/*', 'user-agent': 'node', 'accept-encoding': 'gzip, deflate' }
  : { host: `${service}:${SERVICES[service].port}`, 'user-agent': 'Go-http-client/1.1', 'accept-encoding': 'gzip' };
const SKUS = ['SKU-10482', 'SKU-20917', 'SKU-31177', 'SKU-40065', 'SKU-55230', 'SKU-61809', 'SKU-73342'];

/**
 * @param {ReturnType<import('../../../scripts/lib/prng.mjs').makeRng>} rng
 * @returns the shop: `serve(trace, kind, at)` runs one request; `lines` holds each service's
 *   recorded calls; `spans` every span served.
 */
export function makeShop(rng) {
  /** service → [{t (true time, µs), seq, entry}] */
  const lines = new Map(Object.keys(SERVICES).map((name) => [name, []]));
  let seq = 0;
  const pinoReqIds = new Map();

  /** Work that takes about `medianMs`, in µs. */
  const work = (medianMs, spread = 0.35) => Math.max(40, Math.round(rng.logNormal(medianMs, spread) * 1000));

  /** Records one entry of `service` at true time `tUs` (the files are sorted on it). */
  function record(service, tUs, entry) {
    lines.get(service).push({ t: tUs, seq: seq++, entry });
  }

  /** A log call that belongs to no request (start-up banners, health probes, pool stats). */
  function raw(service, tUs, entry) {
    record(service, tUs, { kind: 'log', clockUs: tUs, ids: {}, ...entry });
  }

  function idFields(span, style) {
    const ids = { trace_id: span.trace.id };
    if (span.trace.ids === 'trace-id-only') return ids;
    ids.span_id = span.spanId;
    if (span.trace.ids === 'parent-ids' && span.parent) ids.parent_span_id = span.parent.spanId;
    if (style === 'pino') ids.trace_flags = '01';
    return ids;
  }

  /** The time `span`'s host clock shows at true time `tUs`. */
  const hostClock = (span, tUs) => tUs + (HOST_SKEW_US[span.host] ?? 0);

  /**
   * Records one log call of `span` at true time `tUs`. `fields` are the call's own fields;
   * `extra.err` describes the error the writer creates and hands to the library, and
   * `extra.truncate` marks the line the damaged disk cuts short after the library wrote it.
   */
  function log(span, tUs, level, msg, fields = {}, extra = {}) {
    const svc = SERVICES[span.service];
    record(span.service, tUs, {
      kind: 'log', clockUs: hostClock(span, tUs), level, msg, host: span.host, request: span.req?.key,
      ids: idFields(span, svc.style), fields, ...(extra.err ? { err: extra.err } : {}), ...(extra.truncate ? { truncate: extra.truncate } : {}),
    });
  }

  /** Every span served, in the order they started: the generator's record of the scenario. */
  const spans = [];
  function newSpan(trace, service, parent, host) {
    const span = { trace, service, parent, host: host ?? SERVICES[service].hosts?.[0] ?? null, spanId: rng.hex(16), req: null };
    spans.push(span);
    return span;
  }

  /** Notes when `span` ran (true time, µs) and how it ended (`status` null when it never answered). */
  function ran(span, startUs, result) {
    Object.assign(span, { startUs, endUs: result.t, status: result.connectionReset ? null : result.status });
    return result;
  }

  /**
   * A request reaches a pino-http server: the writer runs pino-http's middleware on it, whose
   * child logger binds the serialized request to every line of the request (pino-http numbers
   * the requests of each server itself, from 1).
   */
  function pinoRequest(span, t, method, url, remoteAddress, headers) {
    const n = (pinoReqIds.get(span.host) ?? 0) + 1;
    pinoReqIds.set(span.host, n);
    const key = `${span.host}#${n}`;
    span.req = { key };
    record(span.service, t, {
      kind: 'request', clockUs: hostClock(span, t), host: span.host, request: key, ids: idFields(span, 'pino'),
      method, url, remoteAddress, remotePort: rng.int(32768, 60999), headers,
    });
  }

  /** pino-http logs the request's end ("request completed" / "request errored") itself. */
  function pinoResponse(span, t, status) {
    record(span.service, t, { kind: 'response', clockUs: hostClock(span, t), host: span.host, request: span.req.key, ids: idFields(span, 'pino'), status });
  }

  const url = (service, path) => `http://${service}:${SERVICES[service].port}${path}`;

  /** An outgoing HTTP call from `from` at `t`; `target` names the service, handler and options. */
  function call(from, t, target) {
    const child = newSpan(from.trace, target.service, from, target.host);
    const sent = t + rng.int(250, 1400);
    const result = ran(child, sent, HANDLERS[target.handler](child, sent, target));
    if (result.connectionReset) return { t: result.t + rng.int(300, 900), connectionReset: true };
    const back = result.t + rng.int(250, 1200);
    if (target.timeoutUs && back - t > target.timeoutUs) return { t: t + target.timeoutUs, timedOut: true };
    return { t: back, status: result.status };
  }

  // ── api-gateway (Node, pino + pino-http + OpenTelemetry instrumentation-pino) ──────────────
  function gateway(span, t, req) {
    pinoRequest(span, t, req.method, req.url, `::ffff:10.42.0.${rng.int(2, 250)}`, GATEWAY_HEADERS);
    t += work(1.1);
    const up = req.upstream;
    log(span, t, 'info', `calling ${up.service}`, { 'peer.service': up.service, url: url(up.service, up.path) });
    const res = call(span, t, up);
    t = res.t;
    let status = res.status;
    if (res.connectionReset) {
      status = 502;
      log(span, t, 'error', `upstream ${up.service} failed`, {}, { err: { kind: 'socket-hang-up' } });
    } else if (status >= 500) {
      log(span, t, 'error', `upstream ${up.service} failed`, {}, { err: { kind: 'http-status', status, statusText: STATUS_TEXT[status], url: url(up.service, up.path) } });
    }
    t += work(0.4);
    pinoResponse(span, t, status);
    return { t, status };
  }

  // ── order-service (Go, zap) ───────────────────────────────────────────────────────────────
  function goStarted(span, t, method, path) {
    log(span, t, 'info', 'request started', { method, path });
  }
  /** `latency` is a Go time.Duration (zap.Duration), given here in µs. */
  function goCompleted(span, t, start, method, path, status) {
    const level = status >= 500 ? 'error' : 'info';
    log(span, t, level, 'request completed', { method, path, status, latency: { durationUs: t - start } });
  }

  function orderCreate(span, t, target) {
    const start = t;
    const path = '/v1/orders';
    goStarted(span, t, 'POST', path);
    t += work(2.4);
    const orderId = `ord_${rng.hex(12)}`;
    const items = rng.int(1, 4);
    log(span, t, 'info', 'order created', { order_id: orderId, items, total_cents: rng.int(899, 24999) },
      { truncate: span.trace.scenario === 'truncated-line' ? 0.62 : undefined });
    if (span.trace.scenario === 'slow-db') {
      t += work(640, 0.1);
      log(span, t, 'warn', 'slow query', { table: 'orders', rows: 1 });
    }
    t += work(0.3);
    log(span, t, 'info', 'calling inventory-service', { 'peer.service': 'inventory-service', url: url('inventory-service', '/v1/reservations') });
    const inv = call(span, t, { service: 'inventory-service', handler: 'reserve', host: span.trace.inventoryHost });
    t = inv.t + work(0.2);
    log(span, t, 'info', 'calling payment-service', { 'peer.service': 'payment-service', url: url('payment-service', '/v1/charges') });
    const pay = call(span, t, { service: 'payment-service', handler: 'charge' });
    t = pay.t;
    let status = 201;
    if (pay.status >= 500) {
      status = pay.status === 504 ? 504 : 500;
      log(span, t, 'error', 'payment failed', { order_id: orderId }, { err: { kind: 'go-error', message: `payment-service returned ${pay.status} ${STATUS_TEXT[pay.status]}` } });
    } else if (pay.status === 402) {
      status = 402;
      log(span, t, 'warn', 'payment declined', { order_id: orderId });
    } else {
      t += work(1.6);
      log(span, t, 'info', 'order confirmed', { order_id: orderId });
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
      // A nil pointer dereference in the handler: net/http recovers it, prints it through its
      // ErrorLog (plain text, no trace id) and drops the connection: the span never logs its end.
      record(span.service, t, { kind: 'panic', clockUs: hostClock(span, t), remoteAddr: `10.42.0.31:${rng.int(40000, 60000)}` });
      return { t, connectionReset: true };
    }
    log(span, t, 'debug', 'order loaded', { order_id: target.orderId, state: 'shipped' });
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
    log(span, t, 'info', 'calling fraud-check', { 'peer.service': 'fraud-check', url: url('fraud-check', '/v1/score') });
    const fraud = call(span, t, { service: 'fraud-check', handler: 'score', timeoutUs: 3_000_000 });
    t = fraud.t;
    let status;
    if (fraud.timedOut || fraud.status >= 500) {
      // The timeout is Go's own: a *url.Error wrapping context.DeadlineExceeded.
      const err = fraud.timedOut
        ? { kind: 'deadline', op: 'Post', url: url('fraud-check', '/v1/score') }
        : { kind: 'go-error', message: `fraud-check returned ${fraud.status} ${STATUS_TEXT[fraud.status]}` };
      status = fraud.timedOut ? 504 : 502;
      log(span, t, 'error', 'fraud check failed', {}, { err });
    } else {
      const amount = rng.int(899, 24999);
      log(span, t, 'info', 'authorizing charge', { provider: 'stripe', amount_cents: amount, currency: 'EUR' });
      t += work(210, 0.3);
      if (span.trace.scenario === 'declined') {
        status = 402;
        log(span, t, 'warn', 'charge declined', { provider: 'stripe', decline_code: 'insufficient_funds' });
      } else {
        status = 201;
        log(span, t, 'info', 'charge authorized', { provider: 'stripe', charge_id: `ch_${rng.hex(24)}` });
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
      // The writer raises a real exception and logs it with log.exception(): structlog's
      // format_exc_info renders the traceback.
      log(span, t, 'error', 'scoring failed', {}, { err: { kind: 'feature-store-unavailable', addr: 'fraud-features:6379' } });
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
    pinoRequest(span, t, method, path, `::ffff:10.42.1.${rng.int(2, 250)}`, INTERNAL_HEADERS(span.service, span.parent?.service));
    log(span, t, 'info', msg, fields);
    t += work(medianMs);
    pinoResponse(span, t, status);
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
    const root = newSpan(trace, 'api-gateway', null);
    return ran(root, tUs, gateway(root, tUs, req));
  }

  return { serve, raw, lines, spans };
}
