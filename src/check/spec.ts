import { open } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { RULE_NAMES, type Assertion } from './assertions.js';
import { isRuleName, parseRule, RuleValueError } from './parse-rule.js';

/** A spec file that cannot be used; the message starts with `file:line:`. Callers make it a usage error. */
export class SpecError extends Error {}

/**
 * Reads a spec file: a YAML list of named rules, so a suite reads like a test file.
 *
 *   - name: checkout has no errors
 *     no-errors: true
 *   - name: checkout is fast
 *     max-duration: 800ms
 *
 * A mapping with a `rules:` list is accepted too. Every problem names the file and line.
 */
export async function loadSpec(path: string): Promise<Assertion[]> {
  let bytes: Buffer;
  try {
    bytes = await readAtMost(path, MAX_SPEC_BYTES + 1);
  } catch (err) {
    throw new SpecError(`cannot read the spec file ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (bytes.length > MAX_SPEC_BYTES) {
    throw new SpecError(`the spec file ${path} is larger than ${MAX_SPEC_BYTES / 1024 / 1024} MiB: a spec is a list of rules, not data`);
  }
  return parseSpec(bytes.toString('utf8'), path);
}

/** Specs are hand-written lists of rules; a few hundred lines is a big one. */
export const MAX_SPEC_BYTES = 1024 * 1024;

/** Up to `limit` bytes of a file, whatever its size claims (a FIFO or /dev/zero says 0 and never ends). */
async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

export function parseSpec(text: string, file: string): Assertion[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number =>
    node?.range ? lines.linePos(node.range[0]).line : 1;
  const fail = (line: number, message: string): never => {
    throw new SpecError(`${file}:${line}: ${message}`);
  };

  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    fail(lines.linePos(first.pos[0]).line, `not valid YAML: ${first.message.split('\n')[0]}`);
  }
  let list: Node | null = doc.contents as Node | null;
  if (isMap(list)) {
    const rules = list.get('rules', true) as Node | undefined;
    if (!rules) fail(lineOf(list), 'expected a list of rules (or a "rules:" list)');
    list = rules!;
  }
  if (!isSeq(list)) return fail(lineOf(list), 'expected a list of rules, each with a name, e.g. "- name: no errors\\n  no-errors: true"');

  const assertions: Assertion[] = [];
  const names = new Set<string>();
  list.items.forEach((item, index) => {
    const itemNode = item as Node;
    const line = lineOf(itemNode);
    if (!isMap(itemNode)) fail(line, `rule ${index + 1} is not a mapping: write "- name: …" followed by one rule such as "no-errors: true"`);
    const map = itemNode as unknown as { items: Pair<Node, Node>[] };
    let name: string | null = null;
    let found: { key: string; value: unknown; line: number } | null = null;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const keyLine = lineOf(pair.key);
      if (key === 'name') {
        const value = isScalar(pair.value) ? pair.value.value : null;
        if (typeof value !== 'string' || value.trim() === '') fail(keyLine, 'name must be a non-empty text');
        name = (value as string).trim();
        continue;
      }
      if (!isRuleName(key)) {
        fail(keyLine, `unknown rule '${key}'${suggest(key)}; rules are: ${RULE_NAMES.join(', ')}`);
      }
      if (found) fail(keyLine, `'${key}' is a second rule in one entry (after '${found.key}'): give each rule its own "- name:" entry`);
      found = { key, value: pair.value === null ? null : toJs(pair.value), line: keyLine };
    }
    if (name === null) fail(line, `rule ${index + 1} has no name: add "name: …" so reports can say which rule failed`);
    if (!found) fail(line, `'${name}' names no rule; add one of: ${RULE_NAMES.join(', ')}`);
    if (names.has(name!)) fail(line, `two rules are named '${name}': names must be unique so reports can tell them apart`);
    names.add(name!);
    try {
      assertions.push({ name: name!, rule: parseRule(found!.key as (typeof RULE_NAMES)[number], found!.value) });
    } catch (err) {
      if (err instanceof RuleValueError) fail(found!.line, `'${name}': ${err.message}`);
      throw err;
    }
  });
  if (assertions.length === 0) fail(1, 'the spec has no rules');
  return assertions;
}

function toJs(node: Node): unknown {
  return (node as { toJSON(): unknown }).toJSON();
}

/** `max_duration` / `maxDuration` / `no-error` are close enough to point at the right name. */
function suggest(key: string): string {
  const simple = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '').replace(/s$/, '');
  const match = RULE_NAMES.find((r) => simple(r) === simple(key));
  return match ? ` (did you mean '${match}'?)` : '';
}
