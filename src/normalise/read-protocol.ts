// HTTP and gRPC request facts and the span kind, from the slots the alias table filled.
import type { GrpcInfo, HttpInfo, SpanKind } from '../types.js';
import { Slot } from './fields.js';
import { grpcCode } from './grpc-codes.js';
import type { Candidate, WalkResult } from './key-trie.js';
import { first, nonEmptyString } from './slot-reader.js';

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE']);

export function readHttp(w: WalkResult): HttpInfo | null {
  const method = first(w, Slot.HttpMethod, httpMethod);
  const status = first(w, Slot.HttpStatus, httpStatus);
  // Generic keys (`path`, `uri`, `url`) say HTTP only next to a method or status.
  const route = method === null && status === null ? first(w, Slot.HttpRoute, strongRoute) : first(w, Slot.HttpRoute, nonEmptyString);
  if (method === null && status === null && route === null) return null;
  const http: HttpInfo = {};
  if (method !== null) http.method = method;
  if (route !== null) http.route = route;
  if (status !== null) http.status = status;
  return http;
}

function strongRoute(v: unknown, c: Candidate): string | null {
  return c.alias.weak ? null : nonEmptyString(v);
}

function httpMethod(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  if (HTTP_METHODS.has(v)) return v;
  const m = v.toUpperCase();
  return HTTP_METHODS.has(m) ? m : null;
}

function httpStatus(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null;
}

export function readGrpc(w: WalkResult): GrpcInfo | null {
  let service = first(w, Slot.GrpcService, nonEmptyString);
  let method = first(w, Slot.GrpcMethod, nonEmptyString);
  // A full method name `/pkg.Service/Method` carries both.
  if (method !== null && method.charCodeAt(0) === 0x2f) {
    const slash = method.indexOf('/', 1);
    if (slash > 0) {
      service ??= method.slice(1, slash);
      method = method.slice(slash + 1);
    }
  }
  const code = first(w, Slot.GrpcCode, grpcCode);
  if (service === null && method === null && code === null) return null;
  const grpc: GrpcInfo = {};
  if (service !== null) grpc.service = service;
  if (method !== null) grpc.method = method;
  if (code !== null) grpc.code = code;
  return grpc;
}

const KIND_WORDS = new Map<string, SpanKind>([
  ['server', 'server'], ['client', 'client'], ['internal', 'internal'], ['producer', 'producer'], ['consumer', 'consumer'],
]);

/** OTLP/Go numbering; OTel-JS counts from 0 and is not mapped (see producers.ts). */
const OTLP_KINDS: (SpanKind | null)[] = [null, 'internal', 'server', 'client', 'producer', 'consumer'];

export function spanKindOtlp(v: unknown): SpanKind | null {
  return spanKindOf(v, true);
}

export function spanKindNamed(v: unknown): SpanKind | null {
  return spanKindOf(v, false);
}

export function spanKindOf(v: unknown, otlpNumbers: boolean): SpanKind | null {
  if (typeof v === 'number') return otlpNumbers ? OTLP_KINDS[v] ?? null : null;
  if (typeof v !== 'string') return null;
  let s = v.toLowerCase();
  if (s.startsWith('span_kind_')) s = s.slice(10);
  else if (s.startsWith('spankind.')) s = s.slice(9);
  return KIND_WORDS.get(s) ?? null;
}
