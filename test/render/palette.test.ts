import { describe, expect, it } from 'vitest';
import { makePainter, serviceColourIndex } from '../../src/render/palette.js';

describe('service colours', () => {
  it('are stable per service name, whatever the order services are met in', () => {
    const a = makePainter(true);
    const b = makePainter(true);
    const names = ['api-gateway', 'orders', 'payment', 'inventory', 'notification'];
    const first = names.map((n) => a.service(n)('x'));
    const second = [...names].reverse().map((n) => b.service(n)('x')).reverse();
    expect(second).toEqual(first);
  });

  it('spread typical service names over several colours', () => {
    const names = ['api-gateway', 'orders', 'payment', 'inventory', 'notification', 'auth', 'cart', 'frontend'];
    expect(new Set(names.map((n) => serviceColourIndex(n))).size).toBeGreaterThanOrEqual(5);
  });

  it('is a fixed hash (the tail command must pick the same colours)', () => {
    expect(serviceColourIndex('payment', 1_000_000)).toBe(serviceColourIndex('payment', 1_000_000));
    expect(serviceColourIndex('')).toBe(0x811c9dc5 % 18);
  });

  it('never writes escape codes with colour off', () => {
    const p = makePainter(false);
    const styled = [p.service('x')('a'), p.red('b'), p.alarm('c'), p.dim('d'), p.bold('e'), p.yellow('f'), p.level('error')('g'), p.level(null)('h')];
    expect(styled.join('')).toBe('abcdefgh');
  });

  it('uses 16-colour codes at level 1 and 256-colour codes at level 2', () => {
    expect(makePainter(true, 1).service('payment')('x')).toMatch(/^\u001b\[(3|9)\dm/);
    expect(makePainter(true, 2).service('payment')('x')).toMatch(/^\u001b\[38;5;\d+m/);
  });
});
