/**
 * Span and service name patterns: `*` is any run of characters, `?` one character, everything
 * else literal (names hold dots, slashes and brackets: `POST /v1/charges`, `Charge[v2]`).
 *
 * Matched without regular expressions: a run of `*` is one `*`, and the literal pieces between
 * stars are found leftmost-first, one after the other, which is exact for `*` (whatever a star
 * could take, taking less leaves more for the rest). So the cost is one pass over the name per
 * piece, never exponential: a pattern of 100 stars costs what one star costs.
 */
export type GlobMatcher = (value: string) => boolean;

export function compileGlob(pattern: string): GlobMatcher {
  const chars = Array.from(pattern);
  // Pieces between runs of stars; each piece is code points, `?` standing for any one.
  const pieces: string[][] = [[]];
  for (const ch of chars) {
    if (ch === '*') {
      if (pieces[pieces.length - 1]!.length > 0 || pieces.length === 1) pieces.push([]);
    } else {
      pieces[pieces.length - 1]!.push(ch);
    }
  }
  if (pieces.length === 1) return literalOrSingles(pieces[0]!);
  // pieces[0] is anchored at the start, the last piece at the end, the rest float in between.
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
  const simple = !chars.includes('?');
  if (simple) {
    const h = head.join('');
    const t = tail.join('');
    const mids = middle.map((p) => p.join(''));
    return (value) => {
      if (value.length < h.length + t.length || !value.startsWith(h) || !value.endsWith(t)) return false;
      let at = h.length;
      const end = value.length - t.length;
      for (const m of mids) {
        const found = value.indexOf(m, at);
        if (found < 0 || found + m.length > end) return false;
        at = found + m.length;
      }
      return true;
    };
  }
  return (value) => {
    const text = Array.from(value);
    if (text.length < head.length + tail.length) return false;
    if (!piecesAt(text, 0, head) || !piecesAt(text, text.length - tail.length, tail)) return false;
    let at = head.length;
    const end = text.length - tail.length;
    for (const m of middle) {
      let found = -1;
      for (let i = at; i + m.length <= end; i++) {
        if (piecesAt(text, i, m)) {
          found = i;
          break;
        }
      }
      if (found < 0) return false;
      at = found + m.length;
    }
    return true;
  };
}

function literalOrSingles(piece: string[]): GlobMatcher {
  if (!piece.includes('?')) {
    const literal = piece.join('');
    return (value) => value === literal;
  }
  return (value) => {
    const text = Array.from(value);
    return text.length === piece.length && piecesAt(text, 0, piece);
  };
}

function piecesAt(text: readonly string[], at: number, piece: readonly string[]): boolean {
  for (let i = 0; i < piece.length; i++) {
    const p = piece[i]!;
    if (p !== '?' && p !== text[at + i]) return false;
  }
  return true;
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
