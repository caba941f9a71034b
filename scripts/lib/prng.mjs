// A small seeded PRNG (mulberry32) so the examples and the bench file come out byte-identical on
// every run and every machine: tests and README figures can then name exact trace ids.

/** @param {number} seed */
export function makeRng(seed) {
  let state = seed >>> 0;
  function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  const rng = {
    next,
    /** Integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    /** `n` lower-case hex digits. */
    hex(n) {
      let s = '';
      while (s.length < n) s += ((next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
      return s.slice(0, n);
    },
    /**
     * Log-normal around `median`: service latencies have a long right tail, which a uniform
     * draw would hide. `spread` ≈ 0.3 gives p99 ≈ 2× the median.
     */
    logNormal(median, spread) {
      const u = Math.max(next(), 1e-12);
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(spread * z);
    },
  };
  return rng;
}
