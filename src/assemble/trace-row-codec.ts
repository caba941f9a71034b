import { PackReader, PackWriter, type Packed } from './pack-buffer.js';
import type { TraceSummary } from './trace-summary.js';

/** Trace summaries (rows) packed for a trip between threads (pack-buffer.ts). */
export type PackedRows = Packed;

const HAS_ROOT_SERVICE = 1;
const HAS_ROOT_NAME = 2;
const TWO_32 = 2 ** 32;

export function packRows(rows: readonly TraceSummary[]): PackedRows {
  const w = new PackWriter(rows.length * 12);
  for (const row of rows) {
    w.str(row.traceId);
    putBigInt(w, row.startNs);
    putBigInt(w, row.endNs);
    w.num(row.durationMs);
    w.num(row.spanCount);
    w.num(row.errorCount);
    w.num(row.recordCount);
    w.num(row.services.length);
    for (const service of row.services) w.common(service);
    w.num((row.rootService !== null ? HAS_ROOT_SERVICE : 0) | (row.rootName !== null ? HAS_ROOT_NAME : 0));
    if (row.rootService !== null) w.common(row.rootService);
    if (row.rootName !== null) w.common(row.rootName);
  }
  return w.finish();
}

export function unpackRows(packed: PackedRows): TraceSummary[] {
  const r = new PackReader(packed);
  const rows: TraceSummary[] = [];
  while (!r.done) {
    const traceId = r.str();
    const startNs = getBigInt(r);
    const endNs = getBigInt(r);
    const durationMs = r.num();
    const spanCount = r.num();
    const errorCount = r.num();
    const recordCount = r.num();
    const services: string[] = new Array(r.num());
    for (let i = 0; i < services.length; i++) services[i] = r.common();
    const flags = r.num();
    const rootService = flags & HAS_ROOT_SERVICE ? r.common() : null;
    const rootName = flags & HAS_ROOT_NAME ? r.common() : null;
    rows.push({ traceId, startNs, endNs, durationMs, spanCount, services, errorCount, rootService, rootName, recordCount });
  }
  return rows;
}

// Nanosecond times pass 2^53: split into 32-bit halves, exact up to 2^85 either side of zero.
function putBigInt(w: PackWriter, x: bigint): void {
  w.num(Number(x >> 32n));
  w.num(Number(x & 0xffffffffn));
}

function getBigInt(r: PackReader): bigint {
  const high = r.num();
  const low = r.num();
  return high === 0 ? BigInt(low) : BigInt(high) * BigInt(TWO_32) + BigInt(low);
}
