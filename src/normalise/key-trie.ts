// Applies the alias table to a parsed line in one pass over its keys.
//
// The aliases are compiled into a trie of path segments. Walking the object, a key is split on
// dots (only when it has one) and followed through the trie, and an object value continues the
// walk one level down. So `"log.level"` (flat), `"log":{"level"}` (nested) and
// `"log.origin":{"file.name"}` (mixed) all reach the same trie node, and the cost is one Map
// lookup per key instead of one probe per alias. Keys that reach no alias become attributes.

import { FIELD_ALIASES, SLOT_COUNT, Slot, TRANSPARENT_KEYS, type Alias } from './fields.js';

interface Terminal {
  slot: Slot;
  /** Index in the slot's alias list: lower wins. */
  order: number;
  alias: Alias;
}

interface TrieNode {
  children: Map<string, TrieNode> | null;
  terminals: Terminal[] | null;
  /** Dotted keys (`"log.level"`) already resolved from this node; keys repeat line after line. */
  dotted: Map<string, TrieNode | null> | null;
}

/** One value found for a slot. */
export interface Candidate {
  slot: Slot;
  /** order × 3 + form (0 flat, 1 nested, 2 mixed): the smallest wins. */
  rank: number;
  value: unknown;
  /** The dotted path it was found at, for returning it to the attributes when unused. */
  path: string;
  alias: Alias;
  used: boolean;
}

export interface WalkResult {
  /** Per slot, its candidates (unsorted; usually zero or one). */
  slots: (Candidate[] | undefined)[];
  /** Every candidate, in line order (only when attributes are collected: unused ones return there). */
  all: Candidate[];
  attributes: Record<string, unknown>;
  /** A number above 2^53 was seen: JSON.parse rounded it, the line must be re-read losslessly. */
  unsafe: boolean;
}

export interface WalkOptions {
  /** Which trie: whole-span dumps read `id`/`name`/`kind` as the span's. */
  spanDump: boolean;
  /** Dotted paths already taken by user overrides: skipped. */
  skip: ReadonlySet<string> | null;
  /** The line had bare long integers quoted with BIG_MARK (parse-json.ts): turn them into BigInt. */
  big: boolean;
  /** Collect the fields no slot takes (false: skip them, for callers that never read attributes). */
  attributes: boolean;
  /** One more top-level key read like TRANSPARENT_KEYS, for this line's producer (roarr `context`). */
  fieldsIn?: string;
}

/** Marks a string that was a bare integer too long for a double (see parse-json.ts). */
export const BIG_MARK = '\uE000';
const BIG_MARK_CODE = 0xe000;

/** A bare long integer the lossless parser quoted (it was a JSON number). */
export function isBigMarked(v: unknown): v is string {
  return typeof v === 'string' && v.charCodeAt(0) === BIG_MARK_CODE;
}

/** Marked strings back to BigInt; anything else unchanged. For code reading raw documents. */
export function unmark(v: unknown): unknown {
  return isBigMarked(v) ? BigInt(v.slice(1)) : v;
}

const tries = [buildTrie(false), buildTrie(true)];
const DOTTED_CACHE_LIMIT = 4096;

function newNode(): TrieNode {
  return { children: null, terminals: null, dotted: null };
}

function buildTrie(spanDump: boolean): TrieNode {
  const root = newNode();
  for (let slot = 0 as Slot; slot < SLOT_COUNT; slot++) {
    FIELD_ALIASES[slot].forEach((alias, order) => {
      if (spanDump ? alias.notInSpanDump : alias.spanDumpOnly) return;
      let node = root;
      for (const seg of alias.path.split('.')) {
        node.children ??= new Map();
        let next = node.children.get(seg);
        if (!next) {
          next = newNode();
          node.children.set(seg, next);
        }
        node = next;
      }
      (node.terminals ??= []).push({ slot, order, alias });
    });
  }
  return root;
}

export function walkObject(obj: Record<string, unknown>, options: WalkOptions): WalkResult {
  const out: WalkResult = { slots: new Array(SLOT_COUNT), all: [], attributes: {}, unsafe: false };
  walk(obj, tries[options.spanDump ? 1 : 0]!, '', 0, 0, options, out);
  return out;
}

/** The node a dotted key leads to from `node`, following each segment. */
function resolveDotted(node: TrieNode, key: string): TrieNode | undefined {
  const cached = node.dotted?.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const parts = key.split('.');
  let n: TrieNode | undefined = node;
  for (let i = 0; i < parts.length && n; i++) n = n.children?.get(parts[i]!);
  node.dotted ??= new Map();
  if (node.dotted.size < DOTTED_CACHE_LIMIT) node.dotted.set(key, n ?? null);
  return n;
}

function walk(
  obj: Record<string, unknown>,
  node: TrieNode | null,
  prefix: string,
  levels: number,
  segs: number,
  options: WalkOptions,
  out: WalkResult,
): void {
  const children = node === null ? null : node.children;
  const skip = options.skip;
  const keepAttributes = options.attributes;
  // Paths are only read for overrides and leftovers: without either, no string is built per key.
  const needPaths = keepAttributes || skip !== null;
  for (const key in obj) {
    let target: TrieNode | undefined;
    let keySegs = 1;
    if (children !== null) {
      target = children.get(key);
      if (target === undefined && key.indexOf('.') >= 0) {
        target = resolveDotted(node!, key);
        if (target) keySegs = countDots(key) + 1;
      }
    }
    // Fast exit for the common case: a key no alias starts with, and nobody wants leftovers.
    if (target === undefined && !keepAttributes && !(levels === 0 && isTransparent(key, options))) continue;
    let value = obj[key];
    const path = !needPaths ? '' : prefix === '' ? key : prefix + '.' + key;
    if (skip !== null && skip.has(path)) continue;
    const type = typeof value;
    let isObject = false;
    if (type === 'object') {
      isObject = value !== null && !Array.isArray(value);
      if (isObject && levels === 0 && isTransparent(key, options)) {
        walk(value as Record<string, unknown>, node, path, 0, 0, options, out);
        continue;
      }
    } else if (type === 'number') {
      if ((value as number) > Number.MAX_SAFE_INTEGER) out.unsafe = true;
    } else if (type === 'string' && options.big && (value as string).charCodeAt(0) === BIG_MARK_CODE) {
      if (!target?.terminals) {
        if (keepAttributes) out.attributes[path] = (value as string).slice(1);
        continue;
      }
      value = BigInt((value as string).slice(1));
    }
    if (target !== undefined) {
      if (target.terminals !== null && takeAtTerminal(target.terminals, value, isObject, path, levels + 1, segs + keySegs, keepAttributes, out)) {
        continue;
      }
      if (isObject && target.children !== null) {
        walk(value as Record<string, unknown>, target, path, levels + 1, segs + keySegs, options, out);
        continue;
      }
    }
    if (!keepAttributes) continue;
    if (isObject) flattenInto(value as Record<string, unknown>, path, out, options.big, skip);
    else out.attributes[path] = value;
  }
}

function isTransparent(key: string, options: WalkOptions): boolean {
  return TRANSPARENT_KEYS.has(key) || key === options.fieldsIn;
}

function countDots(key: string): number {
  let n = 0;
  for (let i = key.indexOf('.'); i >= 0; i = key.indexOf('.', i + 1)) n++;
  return n;
}

function takeAtTerminal(
  terminals: Terminal[],
  value: unknown,
  isObject: boolean,
  path: string,
  levels: number,
  segs: number,
  keepAll: boolean,
  out: WalkResult,
): boolean {
  const form = levels === 1 ? 0 : levels === segs ? 1 : 2;
  let taken = false;
  for (let i = 0; i < terminals.length; i++) {
    const t = terminals[i]!;
    if (isObject && !t.alias.objects) continue;
    const c: Candidate = { slot: t.slot, rank: t.order * 3 + form, value, path, alias: t.alias, used: false };
    const list = out.slots[t.slot];
    if (list === undefined) out.slots[t.slot] = [c];
    else list.push(c);
    if (keepAll) out.all.push(c);
    taken = true;
  }
  return taken;
}

/** Nested objects become dotted keys; arrays stay values. */
export function flattenInto(
  obj: Record<string, unknown>,
  prefix: string,
  out: { attributes: Record<string, unknown>; unsafe: boolean },
  big = false,
  skip: ReadonlySet<string> | null = null,
): void {
  for (const key in obj) {
    const value = obj[key];
    const path = prefix === '' ? key : prefix + '.' + key;
    if (skip !== null && skip.has(path)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flattenInto(value as Record<string, unknown>, path, out, big, skip);
    } else if (big && typeof value === 'string' && value.charCodeAt(0) === BIG_MARK_CODE) {
      out.attributes[path] = value.slice(1);
    } else {
      if (typeof value === 'number' && value > Number.MAX_SAFE_INTEGER) out.unsafe = true;
      out.attributes[path] = value;
    }
  }
}

/** The slot's candidates, best first. */
export function ranked(result: WalkResult, slot: Slot): Candidate[] {
  const list = result.slots[slot];
  if (!list) return EMPTY;
  if (list.length > 1) list.sort((x, y) => x.rank - y.rank);
  return list;
}

const EMPTY: Candidate[] = [];

/**
 * Generic path lookup for user overrides (`--trace-field a.b`): exact flat key, then the nested
 * path, then mixed splits. Returns the value and the dotted path it was found at.
 */
export function lookupPath(obj: Record<string, unknown>, path: string): { value: unknown } | null {
  if (Object.hasOwn(obj, path)) return { value: obj[path] };
  const parts = path.split('.');
  if (parts.length === 1) return null;
  // Try every split point, nested (shortest first key) before longer flat prefixes.
  for (let i = 1; i < parts.length; i++) {
    const head = parts.slice(0, i).join('.');
    const next = obj[head];
    if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      const found = lookupPath(next as Record<string, unknown>, parts.slice(i).join('.'));
      if (found) return found;
    }
  }
  return null;
}
