// A realistic checkout trace for the export tests: four services, hosts, HTTP and gRPC calls, a
// failure three levels down, log lines with attributes, and times with sub-microsecond digits.
import type { Trace } from '../../src/types.js';
import { makeTrace } from '../support/make-trace.js';

export const SAMPLE_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

export function sampleTrace(traceId = SAMPLE_TRACE_ID): Trace {
  const trace = makeTrace({
    traceId,
    spans: [
      {
        id: 'b7ad6b7169203331',
        service: 'frontend',
        name: 'GET /checkout',
        kind: 'server',
        host: 'web-1',
        start: 0,
        duration: 182.4567891,
        error: 'upstream payment failed',
        logs: [
          { at: 0, message: 'request received', attributes: { 'http.route': '/checkout', user: { id: 42 } } },
          { at: 182.4567891, level: 'error', message: 'request failed', error: 'upstream payment failed', status: 502 },
        ],
      },
      {
        id: '00f067aa0ba902b7',
        parent: 'b7ad6b7169203331',
        service: 'cart-service',
        name: 'LoadCart',
        kind: 'server',
        start: 3.0001234,
        duration: 21.5,
        logs: [{ at: 3.0001234, message: 'cart loaded', attributes: { items: 3 } }],
      },
      {
        id: '5fb397be34d26b51',
        parent: 'b7ad6b7169203331',
        service: 'payment-service',
        name: 'Charge',
        kind: 'server',
        host: 'pay-7',
        start: 30.0000009,
        duration: 150.25,
        error: 'card declined',
        logs: [
          { at: 30.0000009, message: 'charging card' },
          { at: 180.2500009, level: 'error', message: 'charge failed', error: 'card declined' },
        ],
      },
      {
        id: 'a3ce929d0e0e4736',
        parent: '5fb397be34d26b51',
        service: 'bank-gateway',
        name: 'POST /authorize',
        kind: 'client',
        start: 35.123,
        duration: 140.001,
        error: 'HTTP 402',
        logs: [{ at: 175.124, level: 'error', message: 'authorize returned 402', error: 'HTTP 402', status: 402 }],
      },
    ],
  });
  const payment = trace.spans.find((s) => s.service === 'payment-service')!;
  payment.grpc = { service: 'payment.v1.Payments', method: 'Charge', code: 13 };
  const frontend = trace.spans[0]!;
  frontend.http = { method: 'GET', route: '/checkout', status: 502 };
  return trace;
}
