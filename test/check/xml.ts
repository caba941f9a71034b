// A tiny XML reader for tests: elements, attributes, text and entities, walked character by
// character. Enough to read a JUnit report back; it rejects anything malformed so a broken
// report fails the test instead of being half-read.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`bad XML at ${i}: ${what}`);
  };
  const skipSpace = () => {
    while (i < source.length && ' \t\r\n'.includes(source[i]!)) i++;
  };
  const decode = (raw: string): string =>
    raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e] ?? fail(`entity ${e}`)),
    );
  const readName = (): string => {
    const start = i;
    while (i < source.length && /[A-Za-z0-9_:.-]/.test(source[i]!)) i++;
    if (i === start) fail('expected a name');
    return source.slice(start, i);
  };
  const readElement = (): XmlElement => {
    if (source[i] !== '<') fail('expected <');
    i++;
    const element: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return element;
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      const key = readName();
      skipSpace();
      if (source[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const quote = source[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = source.indexOf(quote!, i + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = source.slice(i + 1, end);
      if (raw.includes('<')) fail('< in an attribute');
      if (key in element.attributes) fail(`duplicate attribute ${key}`);
      element.attributes[key] = decode(raw);
      i = end + 1;
    }
    for (;;) {
      if (i >= source.length) fail(`unclosed <${element.name}>`);
      if (source.startsWith('</', i)) {
        i += 2;
        const name = readName();
        if (name !== element.name) fail(`</${name}> closes <${element.name}>`);
        skipSpace();
        if (source[i] !== '>') fail('expected >');
        i++;
        return element;
      }
      if (source[i] === '<') {
        element.children.push(readElement());
        continue;
      }
      const next = source.indexOf('<', i);
      element.text += decode(source.slice(i, next < 0 ? source.length : next));
      i = next < 0 ? source.length : next;
    }
  };
  if (source.startsWith('<?xml')) {
    i = source.indexOf('?>') + 2;
  }
  skipSpace();
  const root = readElement();
  skipSpace();
  if (i !== source.length) fail('content after the root element');
  return root;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
