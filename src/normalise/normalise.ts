// The normalisation stage: one raw JSON line → LogRecord(s).
//
// A line is usually one record. Whole documents exported by trace tools are many: OTLP/JSON
// `resourceLogs` and `resourceSpans` batches and Jaeger UI JSON (`{"data":[{spans…}]}`), so that
// `show` can read exports from trace viewers as well as logs.
//
// Cost matters (the `traces` command runs this on every line of huge files): one JSON.parse per
// line (two for wrapped lines), one pass over the keys against a precompiled trie, no regex on
// the common path, and exceptions only for lines that are not JSON.
import type { LogRecord, RawLine } from '../types.js';
import { buildRecord, type BuildContext } from './build-record.js';
import { isJaegerDocument, jaegerRecords } from './jaeger.js';
import { otlpLogRecords, otlpSpanRecords } from './otlp.js';
import { hasBareLongInt } from './parse-json.js';
import type { SpanServices } from './span-services.js';
import { parseAndUnwrap, type Unwrapped } from './unwrap.js';

/**
 * User overrides for in-house formats (`--trace-field` …). A dotted name looks up the flat key
 * first, then the nested path (and mixed forms). When the named field is missing from a line, the
 * usual detection applies to that line.
 */
export interface NormaliseOptions {
  traceField?: string;
  spanField?: string;
  parentField?: string;
  serviceField?: string;
  /**
   * False skips collecting the remaining fields into `attributes` (left empty), ~15% less work
   * per line for callers that never read them (trace summaries over whole files).
   */
  attributes?: boolean;
}

const NO_OPTIONS: NormaliseOptions = {};

/**
 * One raw line → its records (normally one). Null when the line is malformed: not JSON, not an
 * object after unwrapping (truncated JSON, plain text, NUL bytes, bare strings or numbers).
 * `spanServices` is the line's source's memory of span services (see span-services.ts).
 */
export function normaliseLine(raw: RawLine, options: NormaliseOptions = NO_OPTIONS, spanServices?: SpanServices): LogRecord[] | null {
  let text = raw.text;
  if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  if (text.length === 0 || text.indexOf('\0') >= 0) return null;
  try {
    const u = parseAndUnwrap(text);
    if (!u) return null;
    const first = fromObject(u, raw, options, text, spanServices);
    let records: LogRecord[] | null;
    if (first === RETRY_LOSSLESS) {
      const exact = parseAndUnwrap(text, true);
      records = exact ? (fromObject(exact, raw, options, null, spanServices) as LogRecord[]) : null;
    } else {
      records = first;
    }
    return records !== null && records.some(nestsTooDeep) ? null : records;
  } catch (e) {
    // JSON nested thousands deep parses, but walking it overflows the stack: a malformed line,
    // skipped and counted like any other, not an internal error.
    if (e instanceof RangeError) return null;
    throw e;
  }
}

const RETRY_LOSSLESS = Symbol('retry-lossless');

/** `text` is given on the first, plain parse: a number above 2^53 then asks for a lossless retry. */
function fromObject(
  u: Unwrapped,
  raw: RawLine,
  options: NormaliseOptions,
  text: string | null,
  spanServices: SpanServices | undefined,
): LogRecord[] | typeof RETRY_LOSSLESS {
  const ctx: BuildContext = {
    origin: raw.origin,
    lineNo: raw.lineNo,
    labels: u.wrapperLabels ? { ...raw.labels, ...u.wrapperLabels } : raw.labels,
    fallbackTimeNs: u.wrapperTimeNs ?? raw.timeNs,
    options,
    big: u.big,
    spanServices,
  };
  const obj = u.obj;
  const otlpLogs = Array.isArray(obj.resourceLogs);
  const otlpSpans = !otlpLogs && Array.isArray(obj.resourceSpans);
  const jaeger = !otlpLogs && !otlpSpans && obj.data !== undefined && isJaegerDocument(obj);
  if (otlpLogs || otlpSpans || jaeger) {
    // Documents are not walked key by key, so look for long bare integers in the text instead.
    if (text !== null && hasBareLongInt(text)) return RETRY_LOSSLESS;
    return otlpLogs ? otlpLogRecords(obj, ctx) : otlpSpans ? otlpSpanRecords(obj, ctx) : jaegerRecords(obj, ctx);
  }
  const record = buildRecord(obj, ctx);
  return ctx.sawUnsafe && text !== null ? RETRY_LOSSLESS : [record];
}

/** Deeper than any log library writes; exporters and renderers may walk values this deep. */
const MAX_VALUE_DEPTH = 64;

/** An attribute value (arrays stay whole) nested beyond MAX_VALUE_DEPTH, checked without recursion. */
function nestsTooDeep(record: LogRecord): boolean {
  for (const key in record.attributes) {
    const top = record.attributes[key];
    if (top === null || typeof top !== 'object') continue;
    const stack: [unknown, number][] = [[top, 1]];
    while (stack.length > 0) {
      const [v, depth] = stack.pop()!;
      if (depth > MAX_VALUE_DEPTH) return true;
      for (const child of Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
