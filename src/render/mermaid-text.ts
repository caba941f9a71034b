import { sanitize } from './sanitize.js';

/**
 * Log text made safe for a Mermaid label. Mermaid reads some characters as syntax wherever they
 * stand: `;` ends a statement, `%%` starts a comment or a directive, `#…;` is an entity code,
 * quotes end a quoted label, `<`/`>` make arrows (`-->`) and HTML (`<br>`, `<script>`), and a
 * line break ends the line. Each becomes Mermaid's entity code (`#59;`, `#35;`, …), which
 * Mermaid shows as the character itself; control, bidi and invisible characters are escaped as
 * everywhere else (sanitize.ts). Labels are cut to `max` characters, with `…`.
 */
const ENTITY: Readonly<Record<string, string>> = {
  '#': '#35;',
  ';': '#59;',
  '%': '#37;',
  '"': '#quot;',
  "'": '#39;',
  '`': '#96;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '{': '#123;',
  '}': '#125;',
  '\\': '#92;',
};
const SYNTAX = /[#;%"'`<>&{}\\]/g;
/** In a participant's name a colon or comma would end it, too. */
const NAME_SYNTAX = /[#;%"'`<>&{}\\:,]/g;
const NAME_ENTITY: Readonly<Record<string, string>> = { ...ENTITY, ':': '#58;', ',': '#44;' };

export function mermaidText(text: string, max = Infinity): string {
  return escapeFor(text, max, SYNTAX, ENTITY);
}

/** For `participant s0 as <name>`. */
export function mermaidName(text: string, max = Infinity): string {
  return escapeFor(text, max, NAME_SYNTAX, NAME_ENTITY);
}

function escapeFor(text: string, max: number, syntax: RegExp, entity: Readonly<Record<string, string>>): string {
  // One line: breaks and tabs become spaces before anything is escaped or counted.
  let plain = sanitize(text.replace(/\s*[\r\n\t\u2028\u2029]+\s*/g, ' ').trim());
  if ([...plain].length > max) plain = [...plain].slice(0, Math.max(1, max - 1)).join('') + '…';
  return plain.replace(syntax, (c) => entity[c]!);
}
