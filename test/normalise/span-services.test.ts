// The per-source memory of span services (src/normalise/span-services.ts) is bounded: a file of
// millions of spans keeps the most recent ones, which are the ones a span's later lines need.
import { describe, expect, it } from 'vitest';
import { SpanServices } from '../../src/normalise/span-services.js';

const id = (n: number) => n.toString(16).padStart(16, '0');

describe('SpanServices', () => {
  it('forgets the span noted longest ago beyond 4096, not one noted again since', () => {
    const m = new SpanServices();
    for (let n = 0; n < 4096; n++) m.note(id(n), `svc-${n}`);
    m.note(id(0), 'svc-0'); // span 0 logs again: now the most recent
    m.note(id(4096), 'svc-4096');
    expect(m.serviceOf(id(0))).toBe('svc-0');
    expect(m.serviceOf(id(1))).toBeNull();
    expect(m.serviceOf(id(2))).toBe('svc-2');
    expect(m.serviceOf(id(4096))).toBe('svc-4096');
  });

  it('the last service a span named wins', () => {
    const m = new SpanServices();
    m.note(id(1), 'api');
    m.note(id(1), 'api');
    m.note(id(1), 'orders');
    expect(m.serviceOf(id(1))).toBe('orders');
  });
});
