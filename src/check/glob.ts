/**
 * Span and service name patterns: `*` is any run of characters, `?` one character, everything
 * else literal (names hold dots, slashes and brackets: `POST /v1/charges`, `Charge[v2]`).
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.+()|[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
