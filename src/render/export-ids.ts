import { createHash } from 'node:crypto';

/**
 * Trace viewers only take hex ids: 32 hex for traces, 16 for spans. Our ids can be anything a log
 * carried (UUIDs, `<ms>-<8 hex>`, inferred segment ids), so every export maps them the same way:
 * valid hex is kept, 16-hex trace ids are left-padded (the W3C convention), UUIDs lose their
 * dashes, and anything else is hashed, deterministically, so parents still point at their spans.
 * Exporters keep the original under ORIGINAL_ID_KEYS whenever the id changed.
 */

export const ORIGINAL_ID_KEYS = {
  trace: 'mcp_trace.original_trace_id',
  span: 'mcp_trace.original_span_id',
  parent: 'mcp_trace.original_parent_span_id',
} as const;

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ZEROS = /^0+$/;

export function hexTraceId(id: string): string {
  const lower = id.toLowerCase();
  if (HEX32.test(lower) && !ZEROS.test(lower)) return lower;
  if (HEX16.test(lower) && !ZEROS.test(lower)) return lower.padStart(32, '0');
  if (UUID.test(lower) && !ZEROS.test(lower.replace(/-/g, ''))) return lower.replace(/-/g, '');
  return hashHex(`trace:${id}`, 32);
}

export function hexSpanId(id: string): string {
  const lower = id.toLowerCase();
  if (HEX16.test(lower) && !ZEROS.test(lower)) return lower;
  return hashHex(`span:${id}`, 16);
}

function hashHex(text: string, length: number): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, length);
  // An all-zero id is invalid; vanishingly unlikely, but never emit one.
  return ZEROS.test(hex) ? '1'.padStart(length, '0') : hex;
}
