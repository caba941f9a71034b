// The examples' scenario: when the shop's 30 requests arrive, which of them are the notable
// ones (fixed ids, and the failure each one shows), and the log calls that belong to no request.

import { SERVICES } from './shop.mjs';

export const SEED = 20251125;
/** 2025-11-25T09:00:00Z: the time the hand-rolled trace id below encodes (1764061260000 = 09:01:00). */
export const BASE_US = Date.UTC(2025, 10, 25, 9, 0, 0) * 1000;
export const TRACE_COUNT = 30;
export const SLOT_US = 6_000_000;

/**
 * The traces worth looking at, by slot. Each id is fixed so it never moves when the generator
 * changes; `note` becomes the line in examples/README.md.
 */
export const NOTABLE = [
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

export function planTraces(rng) {
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

/** Log calls with no trace id, as real files have them: start-up banners and health probes. */
export function backgroundLines(shop, rng) {
  const boot = BASE_US - 45_000_000;
  const gw = SERVICES['api-gateway'].hosts[0];
  shop.raw('api-gateway', boot, { level: 'info', host: gw, msg: 'server listening on http://0.0.0.0:3000', fields: {} });
  for (const host of SERVICES['inventory-service'].hosts) {
    const t = boot + rng.int(1_000_000, 5_000_000);
    shop.raw('inventory-service', t, { level: 'info', host, msg: 'server listening on http://0.0.0.0:3000', fields: {} });
  }
  for (const service of ['order-service', 'payment-service']) {
    const t = boot + rng.int(1_000_000, 5_000_000);
    shop.raw(service, t, { level: 'info', msg: 'starting server', fields: { version: '1.14.2', addr: ':8080' } });
  }
  for (let t = BASE_US; t < BASE_US + TRACE_COUNT * SLOT_US + 5_000_000; t += 15_000_000) {
    const probe = t + rng.int(0, 400_000);
    shop.raw('fraud-check', probe, { level: 'debug', msg: 'health check', fields: { method: 'GET', path: '/healthz', status_code: 200 } });
  }
  const stats = BASE_US + 90_000_000;
  shop.raw('order-service', stats, { level: 'info', msg: 'db pool stats', fields: { open: 8, in_use: 1, idle: 7, wait_count: 0 } });
}

