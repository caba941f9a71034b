// Trace and span id normalisation, shared by sources (prefilter needles), normalise (records) and
// commands (the id a user typed). Imports nothing from any stage.
//
// Canonical form:
//   - hex ids: lower-case, `0x` stripped;
//   - X-Ray `1-5759e988-bd862e3fe1be46a994272793` → the 32 hex `5759e988bd862e3fe1be46a994272793`;
//   - GCP `projects/P/traces/<hex>` → `<hex>`;
//   - Datadog decimal → 16 hex of the low 64 bits (Datadog logs `trace_id & 0xFFFFFFFFFFFFFFFF`);
//   - UUIDs and `<unix-ms>-<hex>` lower-cased; anything else kept as written;
//   - sentinels `""`, `"0"` and all zeros → `""` (callers treat it as absent).
//
// Decimal or hex? An all-digit string is read as Datadog decimal when it has at most 20 digits
// (2^64 has 20) and is not exactly 16 or 32 characters long. At 16 or 32 characters it is read as
// hex, because that is the length of every hex id and a hex id is all digits often enough
// (1 in ~1,700 for 16 hex). The rare 16-digit Datadog decimal (values 10^15…10^16, ~0.05% of
// random 64-bit ids) is still matched: traceIdsMatch and traceIdNeedles also try the decimal reading
// of such a string. A JSON *number* is always decimal (see canonicalSpanId / decimalId).

const MASK64 = (1n << 64n) - 1n;

/** Canonical form of any trace id; `""` when the id is a sentinel (absent). */
export function canonicalTraceId(id: string): string {
  // Lines of one trace repeat its id: the last answer is reused (a comparison instead of a pass).
  if (id === lastId) return lastCanonical;
  const c = canonicalOf(id);
  lastId = id;
  lastCanonical = c;
  return c;
}

let lastId = '';
let lastCanonical = '';

function canonicalOf(id: string): string {
  let s = id;
  if (s.length === 0) return '';
  const first = s.charCodeAt(0);
  if (first <= 0x20 || s.charCodeAt(s.length - 1) <= 0x20) s = s.trim();
  if (first === 0x70 /* p */ && s.startsWith('projects/')) {
    const at = s.indexOf('/traces/');
    if (at >= 0) s = s.slice(at + 8);
  }
  if (s.length > 2 && s.charCodeAt(0) === 0x30 && (s.charCodeAt(1) | 0x20) === 0x78 /* 0x / 0X */) {
    s = s.slice(2);
  }
  if (s.length === 35 && s.charCodeAt(0) === 0x31 && s.charCodeAt(1) === 0x2d && s.charCodeAt(10) === 0x2d) {
    const xray = s.slice(2, 10) + s.slice(11);
    if (hexKind(xray) !== NOT_HEX) s = xray;
  }
  const kind = hexKind(s);
  if (kind !== NOT_HEX) {
    if ((kind & LETTERS) === 0 && s.length !== 16 && s.length !== 32 && s.length <= 20) return decimalToHex(s);
    if ((kind & NONZERO) === 0) return '';
    return (kind & UPPER) === 0 ? s : s.toLowerCase();
  }
  if (isUuid(s)) return isAllZero(s.replaceAll('-', '')) ? '' : s.toLowerCase();
  if (msHexParts(s)) return s.toLowerCase();
  return s;
}

/**
 * Canonical span id from a raw JSON value: strings as for trace ids, JSON numbers (and digit
 * strings the lossless parser produced from bare numbers) always as Datadog decimal.
 * Null for sentinels and non-ids.
 */
export function canonicalSpanId(id: unknown): string | null {
  if (typeof id === 'string') {
    const c = canonicalTraceId(id);
    return c === '' ? null : c;
  }
  if (typeof id === 'number' || typeof id === 'bigint') {
    const c = decimalId(id);
    return c === '' ? null : c;
  }
  return null;
}

/** A numeric id (JSON number, BigInt, or digit string known to have been a bare number) → 16 hex. */
export function decimalId(id: number | bigint | string): string {
  if (typeof id === 'number') {
    if (!Number.isInteger(id) || id < 0) return '';
    // Above 2^53 the number is already rounded; callers parse long integers losslessly first.
    id = BigInt(id);
  }
  if (typeof id === 'bigint') return id === 0n ? '' : (id & MASK64).toString(16).padStart(16, '0');
  return decimalToHex(id);
}

/**
 * Whether two ids name the same trace: equal canonical forms, or a 16-hex id equal to the low 16
 * hex of a 32-hex id (B3/Sleuth 64-bit ids against 128-bit ones).
 */
export function traceIdsMatch(a: string, b: string): boolean {
  const ca = canonicalTraceId(a);
  const cb = canonicalTraceId(b);
  if (ca === '' || cb === '') return false;
  if (sameOrLowHalf(ca, cb)) return true;
  // The ambiguous 16-digit string may be a Datadog decimal after all.
  const da = decimalReading(ca);
  const db = decimalReading(cb);
  return (da !== null && sameOrLowHalf(da, cb)) || (db !== null && sameOrLowHalf(ca, db));
}

/**
 * traceIdsMatch against one fixed id, with that id's side worked out once: `show` asks this for
 * every record it reads, and records carry canonical ids, so the common answer is one string
 * comparison.
 */
export function traceIdMatcher(typed: string): (id: string) => boolean {
  const c = canonicalTraceId(typed);
  if (c === '') return () => false;
  const known = new Map<string, boolean>();
  return (id) => {
    if (id === c) return true;
    let answer = known.get(id);
    if (answer === undefined) {
      answer = traceIdsMatch(id, typed);
      // Bounded: a source with many near-miss ids (the prefilter's false positives) fills it once.
      if (known.size < 4096) known.set(id, answer);
    }
    return answer;
  };
}

/**
 * Commands that group by trace id (`traces`, `check --all`) would list a trace twice when some
 * services log a 64-bit id and others its 128-bit form (B3/Sleuth next to W3C). Given every
 * canonical id seen, this maps each 16-hex id to the one 32-hex id that ends with it. An id whose
 * low half matches two 32-hex ids is left alone: it cannot say which trace it belongs to.
 */
export function widerTraceIds(ids: Iterable<string>): Map<string, string> {
  const byLowHalf = new Map<string, string | null>();
  const narrow: string[] = [];
  for (const id of ids) {
    const low = lowHalfKey(id);
    if (low === id) narrow.push(id);
    else if (low !== null) byLowHalf.set(low, byLowHalf.has(low) ? null : id);
  }
  const wider = new Map<string, string>();
  if (byLowHalf.size === 0) return wider;
  for (const id of narrow) {
    const full = byLowHalf.get(id);
    if (full) wider.set(id, full);
  }
  return wider;
}

/**
 * What the 64-bit and 128-bit forms of one canonical trace id share, so that whatever splits
 * traces by id (threads, buckets) keeps both forms together: the low 16 hex of a hex id, the whole
 * id otherwise.
 */
export function traceIdGroupKey(id: string): string {
  return lowHalfKey(id) ?? id;
}

/** The low 16 hex of a 16- or 32-hex id (the id itself at 16), else null. */
function lowHalfKey(id: string): string | null {
  if (id.length === 32 && isHexId(id)) return id.slice(16);
  if (id.length === 16 && isHexId(id)) return id;
  return null;
}

/**
 * The raw-text prefilter: every encoding in which `id` can appear in a line. A line containing
 * none of them cannot belong to the trace. Minimal: no needle contains another.
 */
export function traceIdNeedles(id: string): string[] {
  const c = canonicalTraceId(id);
  if (c === '') return [];
  const needles: string[] = [];
  addHexNeedles(c, needles);
  const alt = decimalReading(c);
  if (alt !== null) addHexNeedles(alt, needles);
  if (needles.length === 0) {
    if (isUuid(c) || msHexParts(c)) needles.push(c, c.toUpperCase());
    else for (const form of jsonForms(c)) needles.push(form);
  }
  return minimalNeedles(needles);
}

/** The unix time (ns) an id encodes: `<unix-ms>-<hex>` ids and X-Ray `1-<8 hex seconds>-…`. */
export function traceIdTimeHint(id: string): bigint | null {
  const s = id.trim();
  const ms = msHexParts(s);
  if (ms) return BigInt(ms) * 1_000_000n;
  if (s.length === 35 && s.startsWith('1-') && s.charCodeAt(10) === 0x2d) {
    const epoch = s.slice(2, 10);
    if (hexKind(epoch) !== NOT_HEX && hexKind(s.slice(11)) !== NOT_HEX) {
      return BigInt(Number.parseInt(epoch, 16)) * 1_000_000_000n;
    }
  }
  return null;
}

// ---- helpers -------------------------------------------------------------------------------

const NOT_HEX = 0;
/** Flags of a hex string (always set for one). */
const IS_HEX = 1;
const LETTERS = 2;
const UPPER = 4;
const NONZERO = 8;
const DIGITS = IS_HEX;

/** NOT_HEX, or IS_HEX plus LETTERS / UPPER / NONZERO flags: one pass classifies an id. */
function hexKind(s: string): number {
  if (s.length === 0) return NOT_HEX;
  let kind = IS_HEX;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (c !== 0x30) kind |= NONZERO;
    } else if (c >= 0x61 && c <= 0x66) kind |= LETTERS | NONZERO;
    else if (c >= 0x41 && c <= 0x46) kind |= LETTERS | UPPER | NONZERO;
    else return NOT_HEX;
  }
  return kind;
}

function isAllZero(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 0x30) return false;
  return true;
}

function decimalToHex(digits: string): string {
  const v = BigInt(digits) & MASK64;
  return v === 0n ? '' : v.toString(16).padStart(16, '0');
}

function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
      continue;
    }
    const l = c | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (l >= 0x61 && l <= 0x66))) return false;
  }
  return true;
}

/** For `<unix-ms>-<hex>` ids (12–14 digits of ms, then hex) the ms part, else null. */
function msHexParts(s: string): string | null {
  const dash = s.indexOf('-');
  if (dash < 12 || dash > 14 || dash === s.length - 1) return null;
  const ms = s.slice(0, dash);
  if ((hexKind(ms) & ~NONZERO) !== DIGITS || hexKind(s.slice(dash + 1)) === NOT_HEX) return null;
  return ms;
}

function isHexId(c: string): boolean {
  return hexKind(c) !== NOT_HEX;
}

function sameOrLowHalf(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === 16 && b.length === 32) return isHexId(b) && b.endsWith(a);
  if (a.length === 32 && b.length === 16) return isHexId(a) && a.endsWith(b);
  return false;
}

/** The Datadog-decimal reading of an all-digit 16-character canonical id, else null. */
function decimalReading(c: string): string | null {
  if (c.length !== 16 || (hexKind(c) & ~NONZERO) !== DIGITS) return null;
  const hex = decimalToHex(c);
  return hex === '' || hex === c ? null : hex;
}

function addHexNeedles(c: string, out: string[]): void {
  if (!isHexId(c)) return;
  const low = c.length === 32 ? c.slice(16) : c;
  out.push(low, low.toUpperCase());
  if (low.length === 16) {
    const dec = BigInt('0x' + low).toString();
    if (dec !== '0') out.push(dec);
  }
}

/**
 * The ways a JSON encoder may write a free-form id in a line: as is; `"` and backslash escaped
 * (always); `/` as `\/` (PHP, some Java encoders); non-ASCII and controls as `\u00e9`, in either
 * case (Python's ensure_ascii, .NET). The prefilter looks for the bytes of the line while records
 * carry the decoded id: without these forms `traces` listed `café-1` and `show café-1` found nothing.
 */
function jsonForms(id: string): string[] {
  const quoted = id.replace(/["\\]/g, (ch) => `\\${ch}`);
  const unicode = (upper: boolean): string =>
    quoted.replace(/[\u0000-\u001f\u007f-\uffff]/g, (ch) => {
      const hex = ch.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  const forms = new Set([id, quoted, unicode(false), unicode(true)]);
  if (id.includes('/')) for (const form of [...forms]) forms.add(form.replaceAll('/', '\\/'));
  return [...forms];
}

function minimalNeedles(needles: string[]): string[] {
  const unique = [...new Set(needles)].sort((x, y) => x.length - y.length);
  const kept: string[] = [];
  for (const n of unique) if (!kept.some((k) => n.includes(k))) kept.push(n);
  return kept;
}

/**
 * The longest trace id a command accepts. Real ids are 16 to 36 characters (GCP's
 * `projects/<project>/traces/<32 hex>` about 80); every byte of the id is a byte of every
 * prefilter needle and is echoed in messages, so an id of megabytes is a mistake, not an id.
 */
export const MAX_TRACE_ID_LENGTH = 256;

/** The usage message for an id longer than MAX_TRACE_ID_LENGTH, or null when its length is fine. */
export function traceIdLengthProblem(id: string, what: string = 'a trace id'): string | null {
  if (id.length <= MAX_TRACE_ID_LENGTH) return null;
  return `${what} is at most ${MAX_TRACE_ID_LENGTH} characters; this one has ${id.length} ('${id.slice(0, 24)}…')`;
}
