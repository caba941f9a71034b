import { expect, test } from 'vitest';
import { serviceFromPath } from '../../src/normalise/service-from-path.js';

test.each([
  ['payment-service.log', 'payment-service'],
  ['/var/log/payment-service-2024-11-01.log.gz', 'payment-service'],
  ['payment-service.2024-11-01.jsonl', 'payment-service'],
  ['payment-service.ndjson', 'payment-service'],
  ['logs/orders.json', 'orders'],
  ['api.log.1', 'api'],
  ['api.log.2.gz', 'api'],
  ['C:\\logs\\billing_20241101.log', 'billing'],
  ['checkout-2024-11-01T10.log', 'checkout'],
  ['-', null],
  ['', null],
])('%s → %s', (path, expected) => {
  expect(serviceFromPath(path)).toBe(expected);
});
