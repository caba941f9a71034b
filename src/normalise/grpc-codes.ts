// gRPC status codes: names ↔ numbers. Names are matched ignoring case and underscores, so the
// canonical `DEADLINE_EXCEEDED`, Go's `DeadlineExceeded` and `Canceled`/`CANCELLED` all work.

export const GRPC_CODE_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

const BY_NAME = new Map<string, number>();
GRPC_CODE_NAMES.forEach((name, code) => BY_NAME.set(name.replaceAll('_', '').toLowerCase(), code));
BY_NAME.set('canceled', 1); // Go spelling

/** A code from a number, a digit string or a name; null when it is none of them. */
export function grpcCode(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 16 ? value : null;
  if (typeof value !== 'string' || value === '') return null;
  const c = value.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return grpcCode(Number(value));
  const name = value.startsWith('STATUS_CODE_') ? value.slice(12) : value;
  return BY_NAME.get(name.replaceAll('_', '').toLowerCase()) ?? null;
}

/** `DEADLINE_EXCEEDED` for 4. */
export function grpcCodeName(code: number): string | null {
  return GRPC_CODE_NAMES[code] ?? null;
}

/**
 * Whether a gRPC code marks a failed call: anything but OK, except CANCELLED, which means the
 * calling side gave up (client-side cancel), not that this call failed.
 */
export function grpcCodeIsError(code: number): boolean {
  return code !== 0 && code !== 1;
}
