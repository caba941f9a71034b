// Writes test/fixtures/hostile-pino/: one checkout trace whose log text attacks every picture
// mcp-trace draws. Every line is written by real pino (the same child-logger idiom as
// libs/pino.mjs); only the strings it logs are hostile: markup and script for the HTML export
// (tags, attributes, `</script>`, comment openers), Mermaid syntax for the sequence diagram
// (`;`, `#…;` entity codes, `%%` directives, arrows, line breaks), and terminal escapes and bidi
// controls for everything else.
//
//   cd corpus/generators/zoo-npm && npm ci && node hostile.mjs
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';

const OUT = fileURLToPath(new URL('../../../test/fixtures/hostile-pino/', import.meta.url));
export const TRACE_ID = '6b1d5f0e2c9a4e7f8d3b2a1c0e9f8d7c';

/** Each would do something if a page, a diagram or a terminal took it as anything but text. */
const HOSTILE = {
  script: '<script>window.__pwned = "script"; alert(1)</script>',
  closeTag: '</script><script>window.__pwned = "close-tag"</script><!--',
  img: '<img src=x onerror="window.__pwned = \'img\'">',
  svg: '"><svg onload="window.__pwned = \'svg\'"></svg>',
  mermaid: 'a;b #35; %%{init: {"theme":"forest"}}%% --> x\ns0->>s9: injected line; end',
  terminal: '\u001b[2J\u001b]0;owned\u0007 \u202eevil\u2066 \u200bzero-width',
};

// One logger per service, as each service has its own process.
const SERVICES = ['api-gateway', 'order-service', `pay<b>ment</b>;#svc`];
const lines = new Map(SERVICES.map((s) => [s, []]));
const loggers = Object.fromEntries(
  SERVICES.map((service) => [service, pino({ base: { service } }, { write: (line) => lines.get(service).push(line) })]),
);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const ids = { gateway: 'a1a1a1a1a1a1a1a1', orders: 'b2b2b2b2b2b2b2b2', pricing: 'c3c3c3c3c3c3c3c3', payment: 'd4d4d4d4d4d4d4d4' };
const child = (service, spanId, parent) =>
  loggers[service].child({ trace_id: TRACE_ID, span_id: spanId, ...(parent ? { parent_span_id: parent } : {}) });

const gateway = child('api-gateway', ids.gateway);
gateway.info({ req: { method: 'POST', url: `/api/checkout?q=${HOSTILE.script}` }, user_agent: HOSTILE.img }, 'request received');
await sleep(2);
const orders = child('order-service', ids.orders, ids.gateway);
orders.info({ req: { method: 'POST', url: '/v1/orders' }, note: HOSTILE.mermaid }, `order for ${HOSTILE.svg}`);
await sleep(1);
const pricing = child('order-service', ids.pricing, ids.orders);
pricing.info({ span_name: `price ${HOSTILE.closeTag}` }, 'pricing started');
await sleep(2);
pricing.info({ span_name: `price ${HOSTILE.closeTag}`, duration_ms: 2 }, `priced ${HOSTILE.terminal}`);
const payment = child(SERVICES[2], ids.payment, ids.orders);
payment.info({ req: { method: 'POST', url: `/v1/charges/${HOSTILE.mermaid}` } }, 'request received');
await sleep(3);
const err = new Error(`card store said ${HOSTILE.script} ${HOSTILE.mermaid}`);
err.name = 'CardStoreError';
payment.error({ res: { statusCode: 503 }, err, responseTime: 3.2 }, `request errored ${HOSTILE.closeTag}`);
await sleep(1);
orders.error({ res: { statusCode: 502 }, responseTime: 7.5, upstream: SERVICES[2] }, `${SERVICES[2]} returned 503 ${HOSTILE.img}`);
await sleep(1);
gateway.error({ res: { statusCode: 502 }, responseTime: 10.1 }, `request errored ${HOSTILE.terminal}`);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (const [service, written] of lines) writeFileSync(`${OUT}${service.replace(/[^a-z-]/g, '_')}.log`, written.join(''));
console.log(`wrote ${[...lines.values()].reduce((n, l) => n + l.length, 0)} lines of trace ${TRACE_ID} to ${OUT}`);
