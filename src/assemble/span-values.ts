// The values a span's facts take from its records (span-facts.ts), each stored once where it
// repeats: `traces` holds the facts of every span of a file, and every record of a request
// brings its own copy of the host name, the message, the HTTP call and the status it answered.
// Sharing equal values changes nothing a command says: they are never mutated.
import type { AnsweredStatus, HttpInfo, LogRecord } from '../types.js';

/** Characters of a line searched for a service name: calls name their callee early. */
const TEXT_CHARS = 300;

/**
 * What "this line names service X" searches: the message, the error, and the fields the alias
 * tables say name a callee (peer.service, server.address, a URL: normalise/fields.ts). Not the
 * other fields, so that every command sees the same text whether or not it keeps attributes.
 * Lines repeat their templates, so equal texts are stored once.
 */
export function searchText(r: LogRecord): string {
  let text = r.error ? `${r.message}\n${r.error}` : r.message;
  if (r.peer) text += `\n${r.peer}`;
  return internText(text.length > TEXT_CHARS ? text.slice(0, TEXT_CHARS) : text);
}

/** Bounded: a run of unique texts fills it once, then texts are kept as they come. */
const TEXTS_INTERNED = 1 << 16;
const texts = new Map<string, string>();

/** A line's text or message (or a host name), stored once while the bound allows. */
export function internText(text: string): string {
  const known = texts.get(text);
  if (known !== undefined) return known;
  if (texts.size < TEXTS_INTERNED) texts.set(text, text);
  return text;
}

// Statuses are a few dozen values: one object each, made when first seen.
const httpStatuses = new Map<number, AnsweredStatus>();
const grpcCodes = new Map<number, AnsweredStatus>();
const STATUSES_INTERNED = 1 << 10;

/** The HTTP status or gRPC code a record answered with, if it says. */
export function answeredStatus(r: LogRecord): AnsweredStatus | null {
  const status = r.http?.status;
  if (status !== undefined) return shared(httpStatuses, status, () => ({ kind: 'http', status }));
  const code = r.grpc?.code;
  if (code !== undefined) return shared(grpcCodes, code, () => ({ kind: 'grpc', code }));
  return null;
}

function shared(known: Map<number, AnsweredStatus>, n: number, make: () => AnsweredStatus): AnsweredStatus {
  const seen = known.get(n);
  if (seen !== undefined) return seen;
  const made = make();
  // -0 is a key equal to 0: keep it apart, never shared.
  if (known.size < STATUSES_INTERNED && !Object.is(n, -0)) known.set(n, made);
  return made;
}

/** Bounded as the texts: routes with ids in them are each their own. */
const CALLS_INTERNED = 1 << 12;
const calls = new Map<string, HttpInfo>();

/** An HTTP call's facts (method, route, status: in the record's own key order), stored once. */
export function internHttp(http: HttpInfo): HttpInfo {
  let key = '';
  for (const [k, v] of Object.entries(http)) key += `${k}\u0000${typeof v}\u0000${Object.is(v, -0) ? '-0' : String(v)}\u0000`;
  const known = calls.get(key);
  if (known !== undefined) return known;
  if (calls.size < CALLS_INTERNED) calls.set(key, http);
  return http;
}
