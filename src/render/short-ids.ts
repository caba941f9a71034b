/** The fewest hex characters a table shows of an id: what `show`, `check` and `tail --trace` take. */
export const SHORT_ID_LENGTH = 8;

const HEX = /^[0-9a-f]+$/;

/**
 * One prefix length for a column of ids: the shortest, from 8 up, at which no two hex ids among
 * them share a prefix, so each shortened id still names its row's trace (`show <prefix>`). Ids
 * that are not hex (UUIDs, `<unix-ms>-<hex>`) stay whole: their prefixes are not taken as ids.
 */
export function shortIdLength(ids: readonly string[]): number {
  const hex = ids.filter((id) => id.length > SHORT_ID_LENGTH && HEX.test(id)).sort();
  let length = SHORT_ID_LENGTH;
  for (let i = 1; i < hex.length; i++) {
    const a = hex[i - 1]!;
    const b = hex[i]!;
    let common = 0;
    while (common < a.length && common < b.length && a.charCodeAt(common) === b.charCodeAt(common)) common++;
    if (common + 1 > length) length = common + 1;
  }
  return length;
}

/** The id as a table shows it at `length` (see shortIdLength). */
export function shortId(id: string, length: number): string {
  return id.length > length && HEX.test(id) ? id.slice(0, length) : id;
}
