#!/usr/bin/env node
// Writes examples/: three minutes of logs from a five-service shop, one file per service, in the
// formats the services' real libraries write (zap, pino, structlog). Deterministic: a fixed seed
// and a fixed start time, so tests and the README can name exact trace ids and figures.
//
//   node scripts/make-examples.mjs        (or: npm run examples)

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { makeRng } from './lib/prng.mjs';
import { makeShop, SERVICES } from './lib/example-shop.mjs';
import { pinoLine, structlogLine, zapLine } from './lib/log-styles.mjs';

const SEED = 20251125;
/** 2025-11-25T09:00:00Z: the time the hand-rolled trace id below encodes (1764061260000 = 09:01:00). */
const BASE_US = Date.UTC(2025, 10, 25, 9, 0, 0) * 1000;
const OUT_DIR = fileURLToPath(new URL('../examples/', import.meta.url));
const GZIPPED = new Set(['inventory-service']);
const TRACE_COUNT = 30;
const SLOT_US = 6_000_000;

/**
 * The traces worth looking at, by slot. Each id is fixed so it never moves when the generator
 * changes; `note` becomes the line in examples/README.md.
 */
const NOTABLE = [
  { slot: 2, id: '4bf92f3577b34da6a3ce929d0e0e4736', kind: 'checkout', scenario: 'fraud-error',
    note: 'fails deep in the call chain: fraud-check raises (feature store down) and answers 503 → payment-service 502 → order-service 500 → api-gateway 500. The likely origin is fraud-check.' },
  { slot: 5, id: '0af7651916cd43dd8448eb211c80319c', kind: 'checkout', scenario: 'truncated-line',
    note: 'a normal checkout, but its "order created" line in order-service.log is truncated JSON: it is counted as malformed and skipped.' },
  { slot: 8, id: 'd3b07384d113edec49eaa6238ad5ff00', kind: 'checkout', scenario: 'slow-db',
    note: 'succeeds but slowly: order-service logs a `slow query` warning (~640 ms of its time).' },
  { slot: 10, id: '1764061260000-9f86d081', kind: 'checkout', ids: 'trace-id-only', at: BASE_US + 60_000_000,
    note: 'its lines carry only a trace id (hand-rolled `X-Trace-ID: <unix-ms>-<8 hex>`), no span ids: one segment per service visit, nested by time.' },
  { slot: 13, id: '8d2c6a91f04e4b7fa3e15c9b07d6e218', kind: 'checkout', scenario: 'fraud-timeout',
    note: 'times out: payment-service gives up on fraud-check after 3 s (`context deadline exceeded`) → 504 up the chain, while fraud-check finishes ~4.8 s after it started (it outlives its caller).' },
  { slot: 17, id: 'c3a1f9e27b4d40c8915e6f2a8d3b7c05', kind: 'checkout', ids: 'span-ids',
    note: 'its lines carry span ids but no parent ids (the OpenTelemetry log bridges\' default): parents are inferred from timing and "calling X" lines.' },
  { slot: 21, id: 'f0e6d2b8a4c94e1f8a7b3c5d9e2f1a60', kind: 'checkout', inventoryHost: 'inventory-service-5c8d7f9b6-w8rtn',
    note: 'clock skew: inventory-service ran on pod `…-w8rtn`, whose clock is ~212 ms behind, so its span seems to start before its parent.' },
  { slot: 24, id: '6e1f3b0c9a8d47f2b5c4e3a2d1f09e87', kind: 'order-status', scenario: 'panic',
    note: 'order-service panics mid-request (a plain-text Go panic in order-service.log, no trace id) and never logs its end; api-gateway gets `socket hang up` and answers 502.' },
  { slot: 27, id: '7b2e9d4c1a0f48e3b6d5c2a1f0e9d8c7', kind: 'checkout', scenario: 'declined',
    note: 'a client error, not a failure: the card is declined, 402 all the way up, with warnings but no error.' },
];

function planTraces(rng) {
  const bySlot = new Map(NOTABLE.map((n) => [n.slot, n]));
  const plan = [];
  for (let slot = 0; slot < TRACE_COUNT; slot++) {
    const notable = bySlot.get(slot);
    const at = notable?.at ?? BASE_US + 2_000_000 + slot * SLOT_US + rng.int(0, 2_500_000);
    if (notable) {
      plan.push({ at, kind: notable.kind, trace: { id: notable.id, ids: notable.ids ?? 'parent-ids', scenario: notable.scenario, inventoryHost: notable.inventoryHost } });
      continue;
    }
    const roll = rng.next();
    const kind = roll < 0.55 ? 'checkout' : roll < 0.8 ? 'product' : 'order-status';
    plan.push({ at, kind, trace: { id: rng.hex(32), ids: 'parent-ids' } });
  }
  return plan;
}

/** Lines with no trace id, as real files have them: start-up banners and health probes. */
function backgroundLines(shop, rng) {
  const boot = BASE_US - 45_000_000;
  const gw = SERVICES['api-gateway'].hosts[0];
  shop.raw('api-gateway', boot, pinoLine({ tUs: boot, level: 'info', pid: 1, hostname: gw, msg: 'server listening on http://0.0.0.0:3000' }));
  for (const host of SERVICES['inventory-service'].hosts) {
    const t = boot + rng.int(1_000_000, 5_000_000);
    shop.raw('inventory-service', t, pinoLine({ tUs: t, level: 'info', pid: 1, hostname: host, msg: 'server listening on http://0.0.0.0:3000' }));
  }
  for (const service of ['order-service', 'payment-service']) {
    const t = boot + rng.int(1_000_000, 5_000_000);
    shop.raw(service, t, zapLine({ tUs: t, level: 'info', caller: `cmd/${service}/main.go:54`, msg: 'starting server', fields: { service, version: '1.14.2', addr: ':8080' } }));
  }
  for (let t = BASE_US; t < BASE_US + TRACE_COUNT * SLOT_US + 5_000_000; t += 15_000_000) {
    const probe = t + rng.int(0, 400_000);
    shop.raw('fraud-check', probe, structlogLine({ tUs: probe, level: 'debug', event: 'health check', fields: { method: 'GET', path: '/healthz', status_code: 200 } }));
  }
  const stats = BASE_US + 90_000_000;
  shop.raw('order-service', stats, zapLine({ tUs: stats, level: 'info', caller: 'db/pool.go:120', msg: 'db pool stats', fields: { service: 'order-service', open: 8, in_use: 1, idle: 7, wait_count: 0 } }));
}

function writeFiles(shop) {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const name of readdirSync(OUT_DIR)) if (/\.log(\.gz)?$/.test(name)) rmSync(join(OUT_DIR, name));
  const written = [];
  for (const [service, entries] of shop.lines) {
    entries.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const text = entries.map((e) => e.text).join('\n') + '\n';
    const file = GZIPPED.has(service) ? `${service}.log.gz` : `${service}.log`;
    const bytes = GZIPPED.has(service) ? gzipSync(text, { level: 9 }) : Buffer.from(text);
    writeFileSync(join(OUT_DIR, file), bytes);
    written.push({ file, lines: entries.length, bytes: bytes.length });
  }
  return written;
}

function readme(written) {
  const rows = written.map((w) => `| \`${w.file}\` | ${SERVICES[w.file.replace(/\.log(\.gz)?$/, '')].style} | ${w.lines} |`);
  const style = { zap: 'Go, zap production encoder (`ts` epoch seconds, `latency` in seconds)', pino: 'Node, pino + pino-http (`time` epoch ms, numeric levels, `responseTime` in ms, `err` objects)', structlog: 'Python, structlog JSONRenderer (`event`, ISO `timestamp`, `duration_ms`)' };
  return `# Example logs

Made by \`node scripts/make-examples.mjs\` (\`npm run examples\`); do not edit by hand. The
generator is deterministic (fixed seed, fixed start time 2025-11-25T09:00:00Z), so the ids below
are stable.

Three minutes of a small shop: ${TRACE_COUNT} requests through five services, one file per service.

\`\`\`
api-gateway ─┬─ order-service ─┬─ inventory-service        (checkout: POST /api/orders)
             │                 └─ payment-service ── fraud-check
             ├─ order-service                             (order status: GET /api/orders/:id)
             └─ inventory-service                         (product page: GET /api/products/:sku)
\`\`\`

| file | library | lines |
|---|---|---|
${rows.join('\n')}

Formats: ${Object.entries(style).map(([k, v]) => `**${k}**: ${v}`).join('; ')}.
Only order-service and payment-service name themselves (\`service\`); the others are known by
their file name. \`inventory-service.log.gz\` is gzipped to show that \`.gz\` files are read as is.

## Traces worth a look

${NOTABLE.map((n) => `- \`${n.id}\`: ${n.note}`).join('\n')}

The other traces are ordinary successful requests. Try:

\`\`\`
mcp-trace show 4bf92f3577b34da6a3ce929d0e0e4736 examples/*.log*
\`\`\`
`;
}

const rng = makeRng(SEED);
const shop = makeShop(rng);
for (const { at, kind, trace } of planTraces(rng)) shop.serve(trace, kind, at);
backgroundLines(shop, rng);
const written = writeFiles(shop);
writeFileSync(join(OUT_DIR, 'README.md'), readme(written));
for (const w of written) console.log(`examples/${w.file}: ${w.lines} lines, ${w.bytes} bytes`);
