// One parsed JSON object (already unwrapped) → one LogRecord, by walking its keys against the
// alias table once (key-trie.ts) and reading each slot's best candidate. Candidates a slot did not
// use go back into the attributes, so nothing the line said is lost.
import { canonicalSpanId, canonicalTraceId, decimalId } from '../trace-id.js';
import type { Level, LogRecord } from '../types.js';
import { bodyText, goKeyValues } from './any-value.js';
import { parseDuration, parseDurationString } from './duration.js';
import { FILE_SERVICE_LABEL, LABEL_ALIASES, REDUNDANT_SLOTS, Slot, type DurationUnit } from './fields.js';
import { BIG_MARK, flattenInto, lookupPath, ranked, walkObject, type Candidate, type WalkResult } from './key-trie.js';
import { parseLevel, parseLevelWord, type LevelScale } from './level.js';
import type { NormaliseOptions } from './normalise.js';
import { detectProducer, type Producer } from './producers.js';
import { readError } from './read-error.js';
import { serviceFromHost } from './service-from-host.js';
import { readGrpc, readHttp, spanKindNamed, spanKindOtlp } from './read-protocol.js';
import { first, fromLabels, nonEmptyString, peekAll, stackText } from './slot-reader.js';
import type { SpanServices } from './span-services.js';
import { renderTemplate } from './template.js';
import { parseTime, secondsAndNanos } from './time.js';

export interface BuildContext {
  origin: string;
  lineNo: number;
  /** Source labels (Loki stream, file-derived service_name, logcli labels): fallbacks only. */
  labels: Record<string, string> | undefined;
  /** Time from the source or a docker/CRI/logcli wrapper: used when the line has none. */
  fallbackTimeNs: bigint | undefined;
  options: NormaliseOptions;
  /** The line had bare long integers quoted losslessly (parse-json.ts). */
  big: boolean;
  /** Set for records built from OTLP/Jaeger documents; otherwise detected from the line. */
  producer?: Producer;
  /** The services this source's lines named per span id, for lines that name none (line-groups.ts). */
  spanServices?: SpanServices;
  /**
   * Set by buildRecord when the line held a number above 2^53 that JSON.parse has rounded: the
   * caller re-reads the line losslessly (parse-json.ts). Checking values after the parse costs
   * nothing on ordinary lines, unlike scanning every line's text for long digit runs.
   */
  sawUnsafe?: boolean;
}

interface Overrides {
  trace?: { value: unknown };
  span?: { value: unknown };
  parent?: { value: unknown };
  service?: { value: unknown };
  skip: Set<string> | null;
  unsafe?: boolean;
}

export function buildRecord(obj: Record<string, unknown>, ctx: BuildContext): LogRecord {
  const producer = ctx.producer ?? detectProducer(obj);
  if (producer.goKeyValues) obj = withGoKeyValues(obj);
  const overrides = findOverrides(obj, ctx.options);
  const keepAttributes = ctx.options.attributes !== false;
  const w = walkObject(obj, { spanDump: producer.spanDump === true, skip: overrides.skip, big: ctx.big, attributes: keepAttributes, fieldsIn: producer.fieldsIn });
  if (w.unsafe || overrides.unsafe) ctx.sawUnsafe = true;

  const start = first(w, Slot.StartTime, parseTime);
  const end = first(w, Slot.EndTime, parseTime);
  const timeNs = readTime(w) ?? start ?? ctx.fallbackTimeNs ?? null;

  const error = readError(w, producer);
  const spanId = overrides.span ? canonicalSpanId(overrides.span.value) : first(w, Slot.SpanId, canonicalSpanId);
  const host = first(w, Slot.Host, nonEmptyString) ?? fromLabels(ctx.labels, LABEL_ALIASES.host);
  const service = readService(w, overrides, ctx, producer, spanId, host);
  const record: LogRecord = {
    timeNs,
    level: readLevel(w, ctx.labels) ?? producer.defaultLevel ?? null,
    message: readMessage(w, obj) ?? '',
    service: service.name,
    traceId: overrides.trace ? traceIdOf(overrides.trace.value) : first(w, Slot.TraceId, traceIdOfCandidate),
    spanId,
    parentSpanId: overrides.parent ? canonicalSpanId(overrides.parent.value) : first(w, Slot.ParentSpanId, canonicalSpanId),
    durationMs: readDuration(w, producer) ?? (start !== null && end !== null && end >= start ? Number(end - start) / 1e6 : null),
    error: error?.message ?? null,
    spanName: first(w, Slot.SpanName, nonEmptyString),
    host,
    attributes: w.attributes,
    origin: ctx.origin,
    lineNo: ctx.lineNo,
  };
  if (service.fromHost) record.serviceFromHost = true;
  const stack = error?.stack ?? first(w, Slot.ErrorStack, stackText);
  if (stack !== null) record.errorStack = stack;
  const kind = first(w, Slot.SpanKind, producer.otlpKinds === true ? spanKindOtlp : spanKindNamed);
  if (kind !== null) record.spanKind = kind;
  const http = readHttp(w);
  if (http) record.http = http;
  const grpc = readGrpc(w);
  if (grpc) record.grpc = grpc;
  const peers = peekAll(w, Slot.Peer, nonEmptyString);
  if (peers.length > 0) record.peer = peers.join('\n');
  const pid = peekAll(w, Slot.Pid, pidText)[0];
  if (pid !== undefined) record.pid = pid;
  if (producer.spanDump && record.message === '' && record.spanName !== null) record.message = record.spanName;
  // A span dump's time is the span's start; a log line's duration ends at the line's time.
  if (producer.spanDump && record.durationMs !== null) record.isSpanRecord = true;

  for (const c of ranked(w, Slot.Drop)) c.used = true;
  if (keepAttributes) returnUnused(w);
  return record;
}

// ---- slot readers ----------------------------------------------------------------------------
function pidText(v: unknown): string | null {
  return typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v) : null;
}

function readTime(w: WalkResult): bigint | null {
  const t = first(w, Slot.Time, parseTime);
  if (t !== null) return t;
  const seconds = ranked(w, Slot.TimeSeconds)[0];
  if (!seconds) return null;
  const nanos = ranked(w, Slot.TimeNanos)[0];
  const ns = secondsAndNanos(seconds.value, nanos?.value);
  if (ns !== null) {
    seconds.used = true;
    if (nanos) nanos.used = true;
  }
  return ns;
}

function readLevel(w: WalkResult, labels: Record<string, string> | undefined): Level | null {
  const level = first(w, Slot.Level, levelOf);
  if (level !== null) return level;
  const label = fromLabels(labels, LABEL_ALIASES.level);
  return label === null ? null : parseLevelWord(label);
}

function readMessage(w: WalkResult, obj: Record<string, unknown>): string | null {
  const list = ranked(w, Slot.Message);
  let empty: Candidate | null = null;
  for (const c of list) {
    const v = c.value;
    const text = c.alias.hint === 'template' && typeof v === 'string' ? renderTemplate(v, obj) : c.alias.objects ? bodyText(v) : typeof v === 'string' ? v : null;
    if (text === '') empty ??= c;
    else if (text !== null) {
      c.used = true;
      return text;
    }
  }
  if (empty !== null) empty.used = true; // ginzap's msg "" is still the message
  return null;
}

interface ServiceChoice {
  name: string | null;
  fromHost?: true;
}

/**
 * The line's own fields win over guesses from outside it: its service field, the source's labels,
 * a logger name, the service its span named earlier, then guesses: the file name, and last the
 * host (a pod's workload, else a short host name), for piped lines that name no service at all.
 */
function readService(w: WalkResult, overrides: Overrides, ctx: BuildContext, producer: Producer, spanId: string | null, host: string | null): ServiceChoice {
  const labels = ctx.labels;
  const fileService = labels?.[FILE_SERVICE_LABEL];
  const own = lineService(w, overrides);
  if (own !== null) {
    // Remembered only where it says more than the file name would.
    if (spanId !== null && own !== fileService) ctx.spanServices?.note(spanId, own);
    return { name: own };
  }
  const label = fromLabels(labels, LABEL_ALIASES.service);
  if (label !== null && serviceName(label) !== null) return { name: label };
  const logger = first(w, Slot.LoggerName, (v, c) => (c.alias.path === 'name' && !producer.nameIsService ? null : loggerService(v)));
  if (logger !== null) return { name: logger };
  const ofSpan = spanId === null ? null : ctx.spanServices?.serviceOf(spanId) ?? null;
  if (ofSpan !== null) return { name: ofSpan };
  if (fileService !== undefined) return { name: fileService };
  const fromHost = host === null ? null : serviceFromHost(host);
  return fromHost !== null ? { name: fromHost, fromHost: true } : { name: null };
}

/** The service the line's own service field (or --service-field) names. */
function lineService(w: WalkResult, overrides: Overrides): string | null {
  if (overrides.service) {
    const s = serviceName(overrides.service.value);
    if (s !== null) return s;
  }
  return first(w, Slot.Service, serviceName);
}

/** A logger name that names an app: not Python's `root`/`__main__`, not a Java class path. */
function loggerService(v: unknown): string | null {
  const s = serviceName(v);
  if (s === null || s === 'root' || s.startsWith('__') || /^[a-z][\w$]*(\.[a-z][\w$]*){2,}/.test(s)) return null;
  return s;
}

function serviceName(v: unknown): string | null {
  if (typeof v !== 'string' || v === '' || v.startsWith('unknown_service')) return null;
  return v;
}

function readDuration(w: WalkResult, producer: Producer): number | null {
  for (const c of ranked(w, Slot.Duration)) {
    const v = c.value;
    let ms: number | null | undefined;
    if (c.alias.hint === 'busy') {
      const busy = typeof v === 'string' ? parseDurationString(v) : null;
      ms = busy === null ? null : busy + (first(w, Slot.DurationIdle, durationText) ?? 0);
    } else {
      ms = parseDuration(v, c.alias.hint as DurationUnit | undefined, producer.durationUnit)?.ms;
    }
    if (ms !== null && ms !== undefined) {
      c.used = true;
      return ms;
    }
  }
  return null;
}

function durationText(v: unknown): number | null {
  return typeof v === 'string' ? parseDurationString(v) : null;
}

function levelOf(v: unknown, c: Candidate): Level | null {
  return parseLevel(v, c.alias.hint as LevelScale);
}

// ---- helpers ---------------------------------------------------------------------------------

/** Go `Attributes`/`Resource` lists as objects: attributes read as the line's own fields. */
function withGoKeyValues(obj: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...obj };
  const attributes = goKeyValues(obj.Attributes);
  if (attributes) copy.Attributes = attributes;
  const resource = goKeyValues(obj.Resource);
  if (resource) {
    delete copy.Resource;
    copy.resource = resource;
  }
  return copy;
}

function traceIdOfCandidate(v: unknown, c: Candidate): string | null {
  if (c.alias.weak && !(typeof v === 'string' && v.startsWith('projects/'))) return null;
  return traceIdOf(v);
}

function traceIdOf(v: unknown): string | null {
  const id = typeof v === 'string' ? canonicalTraceId(v) : typeof v === 'number' || typeof v === 'bigint' ? decimalId(v) : '';
  return id === '' ? null : id;
}

const NO_OVERRIDES: Overrides = { skip: null };

function findOverrides(obj: Record<string, unknown>, options: NormaliseOptions): Overrides {
  if (!options.traceField && !options.spanField && !options.parentField && !options.serviceField) return NO_OVERRIDES;
  const o: Overrides = { skip: null };
  const find = (path: string | undefined) => {
    if (!path) return undefined;
    const found = lookupPath(obj, path);
    if (!found) return undefined;
    (o.skip ??= new Set()).add(path);
    const v = found.value;
    if (typeof v === 'number' && v > Number.MAX_SAFE_INTEGER) o.unsafe = true;
    return { value: typeof v === 'string' && v.startsWith(BIG_MARK) ? BigInt(v.slice(1)) : v };
  };
  o.trace = find(options.traceField);
  o.span = find(options.spanField);
  o.parent = find(options.parentField);
  o.service = find(options.serviceField);
  return o;
}

/** Candidates no slot took stay visible as attributes. */
function returnUnused(w: WalkResult): void {
  for (const c of w.all) {
    if (c.used || (REDUNDANT_SLOTS.has(c.slot) && w.slots[c.slot]!.some((o) => o.used)) || takenElsewhere(c, w)) continue;
    const v = c.value;
    if (typeof v === 'bigint') w.attributes[c.path] = v.toString();
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenInto(v as Record<string, unknown>, c.path, w);
    else w.attributes[c.path] = v;
  }
}

/** A key that feeds two slots (`status`: HTTP status or span status) is used when either took it. */
function takenElsewhere(c: Candidate, w: WalkResult): boolean {
  for (const o of w.all) if (o !== c && o.used && o.path === c.path) return true;
  return false;
}
