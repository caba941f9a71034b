// OTLP/JSON AnyValue (`{"stringValue": …}`, `{"intValue": "502"}`, `{"kvlistValue": {"values": […]}}`)
// and key/value lists → plain JSON values.

type KeyValue = { key?: unknown; value?: unknown };

export function anyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return o.stringValue;
  if ('intValue' in o) return intValue(o.intValue);
  if ('doubleValue' in o) return o.doubleValue;
  if ('boolValue' in o) return o.boolValue;
  if ('bytesValue' in o) return o.bytesValue;
  if ('arrayValue' in o) {
    const values = (o.arrayValue as { values?: unknown[] } | null)?.values;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if ('kvlistValue' in o) return keyValues((o.kvlistValue as { values?: unknown } | null)?.values);
  return v;
}

/** `[{key, value: AnyValue}]` → `{key: value}` (keys kept as written, dots and all). */
export function keyValues(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as KeyValue[]) {
    if (kv && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  }
  return out;
}

/** int64 values arrive as strings; keep them exact, as numbers only when a double holds them. */
function intValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** A message from a body that may be a string, an AnyValue, or structured. */
export function bodyText(v: unknown): string | null {
  const plain = anyValue(v);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return null;
  if (typeof plain === 'object' && 'Value' in (plain as object)) return bodyText((plain as { Value: unknown }).Value); // Go stdoutlog
  return typeof plain === 'object' ? JSON.stringify(plain) : String(plain);
}

/** OTel Go stdout exporters: `[{Key, Value: {Type, Value}}]` → `{Key: Value}`. */
export function goKeyValues(list: unknown): Record<string, unknown> | null {
  if (!Array.isArray(list)) return null;
  const out: Record<string, unknown> = {};
  for (const kv of list as { Key?: unknown; Value?: unknown }[]) {
    if (!kv || typeof kv.Key !== 'string') continue;
    const v = kv.Value;
    out[kv.Key] = v !== null && typeof v === 'object' && 'Value' in v ? (v as { Value: unknown }).Value : v;
  }
  return out;
}
