// Short trace ids: `tail` and the tables print the first 8 hex of an id, so any unique prefix of
// at least 8 hex characters has to find its trace again. Shared by collect (show, check) and the
// CLI (tail --trace). Imports nothing from any stage.
//
// A typed id of 8 to 31 hex characters is *also* read as a prefix, not only as an id: the exact
// reading (canonicalTraceId, traceIdsMatch) still applies and wins, because 16 hex is a whole
// 64-bit id and 8 digits may be a Datadog decimal id. The prefix is the typed text lower-cased,
// never canonicalised (canonicalising would turn `12345678` into 16 hex of its decimal value).

export const MIN_PREFIX_LENGTH = 8;
const MAX_PREFIX_LENGTH = 31;
/** How many candidates an ambiguous prefix lists before "… and N more". */
const LISTED_CANDIDATES = 8;

/** The prefix a typed id stands for (8–31 hex, lower-cased), else null. */
export function traceIdPrefix(typed: string): string | null {
  const s = typed.trim();
  if (s.length < MIN_PREFIX_LENGTH || s.length > MAX_PREFIX_LENGTH) return null;
  return /^[0-9a-fA-F]+$/.test(s) ? s.toLowerCase() : null;
}

/** The raw-text needles a prefix can appear as in a line (ids are logged in either case). */
export function prefixNeedles(prefix: string): string[] {
  const upper = prefix.toUpperCase();
  return upper === prefix ? [prefix] : [prefix, upper];
}

/** Whether a canonical (lower-case) trace id starts with the prefix. */
export function startsWithPrefix(canonicalId: string, prefix: string): boolean {
  return canonicalId.length > prefix.length && canonicalId.startsWith(prefix);
}

/** What a prefix came to after a read. */
export type PrefixOutcome =
  | { kind: 'one'; traceId: string }
  | { kind: 'none' }
  | { kind: 'several'; traceIds: string[]; more: number };

/**
 * Collects the distinct trace ids that start with a prefix during a read. Once two are seen the
 * prefix cannot be used whatever else turns up, so the records of the first are no longer kept
 * (a prefix of digits can match every `<unix-ms>-…` id of a day); only ids are counted.
 */
export class PrefixCandidates<T> {
  private readonly ids = new Set<string>();
  private first: T[] = [];

  constructor(readonly prefix: string) {}

  /** Offer a record whose trace id did not match exactly; true when it is a candidate. */
  offer(canonicalId: string, item: T): boolean {
    if (!startsWithPrefix(canonicalId, this.prefix)) return false;
    this.ids.add(canonicalId);
    if (this.ids.size === 1) this.first.push(item);
    else this.first = [];
    return true;
  }

  outcome(): PrefixOutcome {
    if (this.ids.size === 0) return { kind: 'none' };
    if (this.ids.size === 1) return { kind: 'one', traceId: [...this.ids][0]! };
    const sorted = [...this.ids].sort();
    return { kind: 'several', traceIds: sorted.slice(0, LISTED_CANDIDATES), more: Math.max(0, sorted.length - LISTED_CANDIDATES) };
  }

  /** The records of the one candidate (empty unless the outcome is 'one'). */
  records(): T[] {
    return this.ids.size === 1 ? this.first : [];
  }
}

/** The one-line usage message for an ambiguous prefix. */
export function ambiguousPrefixMessage(typed: string, outcome: Extract<PrefixOutcome, { kind: 'several' }>): string {
  const count = outcome.traceIds.length + outcome.more;
  const more = outcome.more > 0 ? ` and ${outcome.more} more` : '';
  return `trace id ${typed} is the start of ${count} traces: ${outcome.traceIds.join(', ')}${more}; type more of it`;
}

/**
 * The ids closest to a typed one, closest first: edit distance to the id cut to the typed length
 * (a typed prefix is compared with prefixes), at most 2 edits for short ids and 3 from 16
 * characters on (random 8-hex prefixes are 2 edits apart about once in 10^5 pairs). Nothing for
 * ids shorter than a prefix may be.
 */
export function nearestTraceIds(typed: string, seen: Iterable<string>, limit = 3): string[] {
  const t = typed.trim().toLowerCase();
  // Shorter than a usable prefix: every id is two edits from it.
  if (t.length < MIN_PREFIX_LENGTH) return [];
  const maxEdits = t.length >= 16 ? 3 : 2;
  const scored: { id: string; d: number }[] = [];
  for (const id of seen) {
    const d = Math.min(editDistance(t, id.slice(0, t.length), maxEdits), id.length === 32 && t.length === 16 ? editDistance(t, id.slice(16), maxEdits) : Infinity);
    if (d <= maxEdits && d > 0) scored.push({ id, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.id);
}

/** Levenshtein distance, or Infinity as soon as it must exceed `max` (one row, banded exit). */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return Infinity;
    prev = row;
  }
  return prev[b.length]!;
}
