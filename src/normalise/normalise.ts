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
import { buildRecord, type BuildContext, type NormaliseOptions } from './build-record.js';
import { isJaegerDocument, jaegerRecords } from './jaeger.js';
import { otlpLogRecords, otlpSpanRecords } from './otlp.js';
import { parseAndUnwrap } from './unwrap.js';

export type { NormaliseOptions } from './build-record.js';

const NO_OPTIONS: NormaliseOptions = {};

/**
 * One raw line → its records (normally one). Null when the line is malformed: not JSON, not an
 * object after unwrapping (truncated JSON, plain text, NUL bytes, bare strings or numbers).
 */
export function normaliseLine(raw: RawLine, options: NormaliseOptions = NO_OPTIONS): LogRecord[] | null {
  let text = raw.text;
  if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  if (text.length === 0 || text.indexOf('\0') >= 0) return null;
  const u = parseAndUnwrap(text);
  if (!u) return null;
  const ctx: BuildContext = {
    origin: raw.origin,
    lineNo: raw.lineNo,
    labels: u.wrapperLabels ? { ...raw.labels, ...u.wrapperLabels } : raw.labels,
    fallbackTimeNs: u.wrapperTimeNs ?? raw.timeNs,
    options,
    big: u.big,
  };
  const obj = u.obj;
  if (obj.resourceLogs !== undefined && Array.isArray(obj.resourceLogs)) return otlpLogRecords(obj, ctx);
  if (obj.resourceSpans !== undefined && Array.isArray(obj.resourceSpans)) return otlpSpanRecords(obj, ctx);
  if (obj.data !== undefined && isJaegerDocument(obj)) return jaegerRecords(obj, ctx);
  return [buildRecord(obj, ctx)];
}
