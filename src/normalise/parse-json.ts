// JSON.parse that keeps integers longer than a double can hold.
//
// dd-trace-go hooks (older versions) write 64-bit ids as bare JSON numbers and OTLP may write
// int64 times as numbers; JSON.parse would round anything above 2^53. Only when the line holds a
// run of 16+ digits, bare integers of 16+ digits in value position are quoted with a private-use
// mark (BIG_MARK) first, so later stages know they were numbers (decimal ids) and can read them
// with BigInt. If the quoting broke the JSON — the digit run sat inside a string after a `:` or
// `,` — we fall back to a plain JSON.parse: the rare line loses precision rather than being lost.
import { BIG_MARK } from './key-trie.js';

const LONG_DIGITS = /\d{16}/;
const BARE_LONG_INT = /([:,[]\s*)(\d{16,})(?=\s*[,}\]])/g;

export interface Parsed {
  value: unknown;
  /** Long integers were quoted with BIG_MARK. */
  big: boolean;
}

/** Throws like JSON.parse on invalid JSON. */
export function parseJsonLossless(text: string): Parsed {
  if (LONG_DIGITS.test(text)) {
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
