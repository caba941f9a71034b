export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  hex(n: number): string;
  logNormal(median: number, spread: number): number;
}
export function makeRng(seed: number): Rng;
