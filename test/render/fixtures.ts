import { makeStats, makeTrace } from '../support/make-trace.js';

/**
 * A checkout request through five services that fails deep in the chain: the bank adapter's
 * timeout (the origin) surfaces as errors in payment and the gateway.
 */
export function checkoutTrace() {
  return makeTrace({
    spans: [
      {
        id: 'a1000000000000a1', service: 'api-gateway', name: 'POST /checkout', start: 0, duration: 1240, error: 'upstream payment failed',
        logs: [
          { at: 0, message: 'request received' },
          { at: 1240, level: 'error', message: 'request failed', status: 502, durationMs: 1240 },
        ],
      },
      {
        id: 'c3000000000000c3', parent: 'a1000000000000a1', service: 'orders', name: 'CreateOrder', start: 14, duration: 1210, error: 'payment declined',
        logs: [{ at: 14, message: 'creating order' }],
      },
      { id: 'd4000000000000d4', parent: 'c3000000000000c3', service: 'inventory', name: 'Reserve', start: 20, duration: 40.1 },
      { id: 'e5000000000000e5', parent: 'c3000000000000c3', service: 'payment', name: 'Charge', start: 70, duration: 1150, error: 'bank timeout' },
      {
        id: 'f6000000000000f6', parent: 'e5000000000000e5', service: 'payment', name: 'bank-adapter.call', start: 75, duration: 1000,
        error: 'dial tcp 10.0.3.7:443: i/o timeout after 1000ms', errorOrigin: true,
        logs: [
          { at: 75, level: 'debug', message: 'calling bank' },
          { at: 1075, level: 'error', message: 'bank call failed', error: 'dial tcp 10.0.3.7:443: i/o timeout after 1000ms' },
        ],
      },
      { id: 'a7000000000000a7', parent: 'a1000000000000a1', service: 'notification', name: 'SendReceipt', start: 1239.6, duration: 0 },
    ],
  });
}

export const checkoutStats = makeStats({ linesRead: 1204, linesMatched: 38, malformedLines: 2, bytesRead: 300_000 });

/** OTel-bridge style logs: span ids, no parent ids, so edges were inferred; one parent never logged. */
export function inferredTrace() {
  return makeTrace({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    structure: 'span-ids',
    warnings: ['structure inferred from timing: lines carry span ids but no parent ids', '1 parent span was referenced but never logged'],
    spans: [
      { id: 'root', service: 'frontend', name: 'GET /cart', start: 0, duration: 200 },
      { id: 'p1', parent: 'root', service: 'cart', name: 'GetCart', start: 10, duration: 120, inferred: true },
      { id: 'ghost', parent: 'root', service: 'checkout', name: 'ghost', start: 140, duration: 50, placeholder: true },
      { id: 'q1', parent: 'ghost', service: 'pricing', name: 'Quote', start: 145, duration: 40 },
    ],
  });
}

/** Clock skew and a child that outlived its caller (the caller timed out, the work went on). */
export function skewTrace() {
  return makeTrace({
    traceId: '1731000000000-deadbeef',
    warnings: ['ledger shifted −750ms (clock skew)'],
    spans: [
      { id: 's1', service: 'billing', name: 'Invoice', start: 0, duration: 500, error: 'deadline exceeded' },
      { id: 's2', parent: 's1', service: 'ledger', name: 'Post', start: 100, duration: 200, skewShiftMs: -750 },
      { id: 's3', parent: 's1', service: 'mailer', name: 'Notify', start: 400, duration: 600, outlivesParent: true },
    ],
  });
}
