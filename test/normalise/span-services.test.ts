// The per-source memory of span services (src/normalise/span-services.ts) is bounded: a file of
// millions of spans keeps the recent ones, which are the ones a span's later lines need.
import { describe, expect, it } from 'vitest';
import { SpanServices } from '../../src/normalise/span-services.js';

const id = (n: number) => n.toString(16).padStart(16, '0');

describe('SpanServices', () => {
  it('remembers at least the last 2048 spans noted, a span noted again since included, and holds at most 4096', () => {
    const m = new SpanServices();
    for (let n = 0; n < 10_000; n++) {
      m.note(id(n), `svc-${n}`);
      if (n % 1000 === 0) m.note(id(0), 'svc-0'); // span 0 keeps logging
      expect(m.held).toBeLessThanOrEqual(4096);
    }
    expect(m.serviceOf(id(0))).toBe('svc-0');
    for (let n = 10_000 - 2048; n < 10_000; n++) expect(m.serviceOf(id(n))).toBe(`svc-${n}`);
    expect(m.serviceOf(id(1))).toBeNull();
    expect(m.serviceOf(id(5000))).toBeNull();
  });

  it('the last service a span named wins', () => {
    const m = new SpanServices();
    m.note(id(1), 'api');
    m.note(id(1), 'api');
    m.note(id(1), 'orders');
    expect(m.serviceOf(id(1))).toBe('orders');
  });
});
