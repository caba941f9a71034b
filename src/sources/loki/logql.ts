import { UsageError } from '../../errors.js';

/** Every stream that has a service: `=~".+"` because Loki refuses selectors that match the empty set. */
export const DEFAULT_SELECTOR = '{service_name=~".+"}';
export const SERVICE_LABEL = 'service_name';

export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface TraceQueryOptions {
  /** Replaces the default stream selector. */
  selector?: string;
  /** Narrows the selector to these services. */
  services?: readonly string[];
}

/**
 * `{service_name=~".+"} |= "<id>"`, with the selector replaced or narrowed as asked. Given several
 * spellings of the id (traceIdNeedles: upper/lower case, 64-bit half…), one regex filter of
 * literal alternatives matches any of them; Loki turns such a regex back into substring checks.
 */
export function traceQuery(id: string | readonly string[], options: TraceQueryOptions = {}): string {
  const needles = (typeof id === 'string' ? [id] : [...id]).filter((n) => n !== '');
  if (needles.length === 0) throw new UsageError('a trace id is needed to query Loki');
  const filter = needles.length === 1 ? `|= ${logqlString(needles[0]!)}` : `|~ ${logqlString(needles.map(regexQuote).join('|'))}`;
  return `${streamSelector(options)} ${filter}`;
}

/** The stream selector alone (the tail command adds its own pipeline after it). */
export function streamSelector(options: TraceQueryOptions = {}): string {
  let matchers = parseSelector(options.selector ?? DEFAULT_SELECTOR);
  const services = (options.services ?? []).map((s) => s.trim()).filter(Boolean);
  if (services.length > 0) {
    // The service list replaces any service_name matcher the selector had (the default's `.+` included).
    matchers = matchers.filter((m) => m.name !== SERVICE_LABEL);
    matchers.push(
      services.length === 1
        ? { name: SERVICE_LABEL, op: '=', value: services[0]! }
        : { name: SERVICE_LABEL, op: '=~', value: services.map(regexQuote).join('|') },
    );
  }
  return formatSelector(matchers);
}

/** A LogQL (Go) double-quoted string literal; JSON's escapes are a subset Go accepts. */
export function logqlString(value: string): string {
  return JSON.stringify(value);
}

/** RE2's QuoteMeta: the text matched literally inside a regex. */
export function regexQuote(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export function formatSelector(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}${logqlString(m.value)}`).join(', ')}}`;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)\s*/;

/** Parses `{a="x", b=~"y"}`. Only a stream selector: a pipeline belongs to the query, not here. */
export function parseSelector(selector: string): Matcher[] {
  const text = selector.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) {
    throw new UsageError(`--selector must be a LogQL stream selector like {namespace="prod"}, got: ${selector}`);
  }
  let rest = text.slice(1, -1);
  const matchers: Matcher[] = [];
  while (rest.trim() !== '') {
    const match = MATCHER.exec(rest);
    if (!match) throw new UsageError(`cannot read the stream selector ${selector}: expected name="value" at "${rest.trim()}"`);
    const [whole, name, op, quoted] = match as unknown as [string, string, Matcher['op'], string];
    matchers.push({ name, op, value: quoted.startsWith('`') ? quoted.slice(1, -1) : unquote(quoted, selector) });
    rest = rest.slice(whole.length);
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (rest.trim() !== '') throw new UsageError(`cannot read the stream selector ${selector}: expected "," at "${rest.trim()}"`);
  }
  if (matchers.length === 0) throw new UsageError('--selector needs at least one matcher, like {namespace="prod"}');
  return matchers;
}

function unquote(quoted: string, selector: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new UsageError(`cannot read the stream selector ${selector}: unsupported escape in ${quoted} (use a backtick string)`);
  }
}
