// JSON.parse that keeps integers longer than a double can hold.
//
// dd-trace-go hooks (older versions) write 64-bit ids as bare JSON numbers and OTLP may write
// int64 times as numbers; JSON.parse rounds anything above 2^53. Lines are parsed plainly first;
// when a parsed value turns out to be above 2^53 (build-record.ts notices while walking the keys,
// at no extra cost), the line is parsed again here: bare integers of 16+ digits in value position
// are quoted with a private-use mark (BIG_MARK), so later stages know they were numbers (decimal
// ids) and read them with BigInt. If the quoting broke the JSON — a digit run sat inside a string
// after a `:` or `,` — we fall back to a plain parse: that rare line loses precision, not its place.
import { BIG_MARK } from './key-trie.js';

const BARE_LONG_INT = /([:,[]\s*)(\d{16,})(?=\s*[,}\]])/g;
const HAS_BARE_LONG_INT = /[:,[]\s*\d{16,}\s*[,}\]]/;

/** For whole documents, which are not walked key by key: might a bare integer have been rounded? */
export function hasBareLongInt(text: string): boolean {
  return HAS_BARE_LONG_INT.test(text);
}

export interface Parsed {
  value: unknown;
  /** Long integers were quoted with BIG_MARK. */
  big: boolean;
}

/** Throws like JSON.parse on invalid JSON. */
export function parseJson(text: string, lossless: boolean): Parsed {
  if (lossless) {
    const quoted = text.replace(BARE_LONG_INT, `$1"${BIG_MARK}$2"`);
    if (quoted !== text) {
      try {
        return { value: JSON.parse(quoted), big: true };
      } catch {
        // fall through: the digits were inside a string
      }
    }
  }
  return { value: JSON.parse(text), big: false };
}
