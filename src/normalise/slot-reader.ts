// Small helpers shared by the slot readers: pick a slot's best usable candidate, basic value checks.
import type { Slot } from './fields.js';
import { ranked, type Candidate, type WalkResult } from './key-trie.js';

/** The first candidate (best rank) that `read` accepts; marks it used. */
export function first<T>(w: WalkResult, slot: Slot, read: (value: unknown, c: Candidate) => T | null | undefined): T | null {
  for (const c of ranked(w, slot)) {
    const v = read(c.value, c);
    if (v !== null && v !== undefined) {
      c.used = true;
      return v;
    }
  }
  return null;
}

/**
 * Every candidate of a slot that `read` accepts, best first, left unused: the values stay in the
 * attributes as the line wrote them (a process id, a peer address).
 */
export function peekAll<T>(w: WalkResult, slot: Slot, read: (value: unknown) => T | null | undefined): T[] {
  const out: T[] = [];
  for (const c of ranked(w, slot)) {
    const v = read(c.value);
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

export function stackText(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (Array.isArray(v)) return v.map((f) => (typeof f === 'string' ? f : JSON.stringify(f))).join('\n');
  return null;
}

export function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function fromLabels(labels: Record<string, string> | undefined, keys: readonly string[]): string | null {
  if (!labels) return null;
  for (const k of keys) {
    const v = labels[k];
    if (v !== undefined && v !== '') return v;
  }
  return null;
}
