// Loki 2.8 orders entries that share a timestamp by their stream's hash (Prometheus labels.Hash:
// xxhash64 of `name 0xff value 0xff …`, names sorted), in both directions. The fake does the same
// so a limit that cuts a shared timestamp keeps the entries a real server keeps
// (test/loki/fake-vs-real.test.ts). Only node: imports: scripts/bench-loki.mjs transpiles it.

const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, input: bigint): bigint => (rotl((acc + input * P2) & MASK, 31n) * P1) & MASK;
const merge = (acc: bigint, value: bigint): bigint => ((acc ^ round(0n, value)) * P1 + P4) & MASK;

/** XXH64 with seed 0 (what github.com/cespare/xxhash computes). */
export function xxhash64(buf: Buffer): bigint {
  const n = buf.length;
  let p = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = -P1 & MASK;
    for (; p <= n - 32; p += 32) {
      v1 = round(v1, buf.readBigUInt64LE(p));
      v2 = round(v2, buf.readBigUInt64LE(p + 8));
      v3 = round(v3, buf.readBigUInt64LE(p + 16));
      v4 = round(v4, buf.readBigUInt64LE(p + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(n)) & MASK;
  for (; p + 8 <= n; p += 8) h = (rotl(h ^ round(0n, buf.readBigUInt64LE(p)), 27n) * P1 + P4) & MASK;
  if (p + 4 <= n) {
    h = (rotl(h ^ ((BigInt(buf.readUInt32LE(p)) * P1) & MASK), 23n) * P2 + P3) & MASK;
    p += 4;
  }
  for (; p < n; p++) h = (rotl(h ^ ((BigInt(buf[p]!) * P5) & MASK), 11n) * P1) & MASK;
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  return h ^ (h >> 32n);
}

const SEP = Buffer.from([0xff]);

/** Prometheus labels.Hash() of a stream's labels. */
export function labelsHash(labels: Record<string, string>): bigint {
  const parts: Buffer[] = [];
  for (const name of Object.keys(labels).sort()) parts.push(Buffer.from(name), SEP, Buffer.from(labels[name]!), SEP);
  return xxhash64(Buffer.concat(parts));
}
