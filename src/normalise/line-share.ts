// How `traces` splits one file between threads: each thread parses only the lines of its share
// of the traces, decided from the raw text, so no line is parsed twice. A line goes to the
// thread its trace id hashes to; a line whose trace id the raw text cannot tell for sure (no id
// field, an id in another encoding, several different ids) is parsed by every thread, each
// keeping only its share's records. Lines that join up with their neighbours (stack traces
// printed after a record, container pieces, pretty-printed JSON) cannot be split at all: a file
// with one is read on one thread.
import { FIELD_ALIASES, Slot } from './fields.js';

/** Parsed by every thread (each keeps the records of its own traces). */
export const EVERY_SHARE = -1;
/** The line depends on the lines around it: the file cannot be split between threads. */
export const NOT_SPLITTABLE = -2;

/**
 * Every trace-id alias as written, and its last segment when that still says "trace": a nested
 * `dd: {trace_id}` is `"trace_id":` in the text. (`trace.id` nested is `"trace":{…}`: not a plain
 * value, so such a line goes to every thread.)
 */
const ID_KEYS = [
  ...new Set(
    FIELD_ALIASES[Slot.TraceId].flatMap((a) => {
      const last = a.path.slice(a.path.lastIndexOf('.') + 1);
      return /trace/i.test(last) && !last.includes('/') ? [a.path, last] : [a.path];
    }),
  ),
];
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A trace-id key and the start of its value: a string's contents, or the first character of anything else. */
const ID_FIELD = new RegExp(`"(?:${ID_KEYS.map(escapeRe).join('|')})"\\s*:\\s*(?:"([^"\\\\]*)("?)|(.))`, 'g');

/** Which of `of` threads parses this raw line: a share, EVERY_SHARE, or NOT_SPLITTABLE. */
export function lineShare(text: string, of: number): number {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 0x20) start++;
  if (start === text.length) return EVERY_SHARE;
  let end = text.length - 1;
  while (end > start && text.charCodeAt(end) <= 0x20) end--;
  // One whole JSON object per line, and not a container's wrapper (its pieces join up).
  if (text.charCodeAt(start) !== 0x7b /* { */ || text.charCodeAt(end) !== 0x7d /* } */) return NOT_SPLITTABLE;
  if (text.startsWith('"log":', start + 1)) return NOT_SPLITTABLE;
  let share = EVERY_SHARE;
  ID_FIELD.lastIndex = start;
  for (let m = ID_FIELD.exec(text); m !== null; m = ID_FIELD.exec(text)) {
    // Not a plain hex string (a number, an escape, a GCP path, a UUID): only the parser can tell.
    if (m[1] === undefined || m[2] !== '"') return EVERY_SHARE;
    const hex = plainHexId(m[1]);
    if (hex === null) return EVERY_SHARE;
    const mine = hexShare(hex, of);
    if (share !== EVERY_SHARE && mine !== share) return EVERY_SHARE;
    share = mine;
  }
  return share;
}

/**
 * The share of a record's (canonical) trace id. Hex ids hash by their low 64 bits, so a trace
 * logged under its 64-bit id by some services and its 128-bit id by others stays on one thread.
 */
export function traceShare(traceId: string, of: number): number {
  if (plainHexId(traceId) !== null) return hexShare(traceId, of);
  let h = 0;
  for (let i = 0; i < traceId.length; i++) h = (Math.imul(h, 31) + traceId.charCodeAt(i)) | 0;
  return (h >>> 0) % of;
}

function hexShare(hex: string, of: number): number {
  return Number.parseInt(hex.slice(-7), 16) % of;
}

/** A 16- or 32-hex id (`0x` allowed), not all zeros, without its `0x`; else null. */
function plainHexId(text: string): string | null {
  const from = text.length > 2 && text.charCodeAt(0) === 0x30 && (text.charCodeAt(1) | 0x20) === 0x78 ? 2 : 0;
  const length = text.length - from;
  if (length !== 16 && length !== 32) return null;
  let nonZero = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = c | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (letter >= 0x61 && letter <= 0x66))) return null;
    if (c !== 0x30) nonZero = true;
  }
  return nonZero ? (from === 0 ? text : text.slice(from)) : null;
}
