// The core records that flow through the pipeline:
//   sources → RawLine → normalise → LogRecord → assemble → Span / Trace → analyse → render
// Every stage imports its input types from here and never from a later stage.

/** Severity, normalised across libraries (pino numbers, slog offsets, OTel severityNumber…). */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Rank for comparisons: `LEVEL_RANK[a] >= LEVEL_RANK.error`. */
export const LEVEL_RANK: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

/** One line as a source delivered it, before any parsing. */
export interface RawLine {
  /** The line's text, without the trailing newline (a CR before it is kept; normalise strips it). */
  text: string;
  /** Where it came from: a file path, `-` for stdin, or `loki`. */
  origin: string;
  /** 1-based line number within the origin (0 when the source has no notion of lines, e.g. Loki). */
  lineNo: number;
  /**
   * Labels the source knows about the line: Loki stream labels, or `service_name` derived from a
   * file name. They only fill in what the line itself does not say.
   */
  labels?: Record<string, string>;
  /** The time the source attached to the line (Loki entry timestamp), unix ns. A fallback only. */
  timeNs?: bigint;
}

export interface HttpInfo {
  method?: string;
  route?: string;
  status?: number;
}

export interface GrpcInfo {
  service?: string;
  method?: string;
  /** Numeric gRPC status code (0 = OK … 16 = UNAUTHENTICATED). */
  code?: number;
}

/** What a span answered: an HTTP status or a gRPC code. */
export type AnsweredStatus = { kind: 'http'; status: number } | { kind: 'grpc'; code: number };

export type InferredBy = 'call' | 'containment' | 'order';

export type SpanKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer';

/** One normalised log line. */
export interface LogRecord {
  /** Unix time in nanoseconds; BigInt so 19-digit stamps are never rounded. Null when the line has none. */
  timeNs: bigint | null;
  level: Level | null;
  message: string;
  service: string | null;
  /**
   * The service is a guess from the host name (a pod's workload, or the short host name): no
   * field, label, logger or file named one. `show` says so once and names --service-field.
   */
  serviceFromHost?: true;
  /** Hex ids are lower-cased without `0x`; other id styles (UUIDs, `<ms>-<hex>`) are kept as written. */
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
  /** Explicit span/request duration carried by the line, in milliseconds. */
  durationMs: number | null;
  /**
   * True when the record describes a whole span (OTLP/Jaeger/Zipkin span dumps): timeNs is the
   * span's start and durationMs its length. Otherwise a duration is read as ending at timeNs,
   * the way a "request completed" log line reports it.
   */
  isSpanRecord?: boolean;
  /** Error message when the line carries an error field or an error span status (not merely an error level). */
  error: string | null;
  /** Stack trace text when the line carries one. */
  errorStack?: string;
  /** Span/operation name when the line names one (span_name, operation, …). */
  spanName: string | null;
  /** Span kind when the line says (OTel span.kind, grpc.component). */
  spanKind?: SpanKind;
  /** Host identity (hostname, host.name) for clock-skew grouping. */
  host: string | null;
  http?: HttpInfo;
  grpc?: GrpcInfo;
  /** Whom the line says it calls besides its message (peer.service, server.address, a URL), newline-joined. */
  peer?: string;
  /** The process id when the line says (pid, process.pid). */
  pid?: string;
  /**
   * An error the service printed outside any request's lines (a Go panic written by net/http):
   * no trace id of its own; placed in the trace of the request running at its time, if one can
   * be told (collect/loose-errors.ts).
   */
  looseError?: true;
  /** Every field not consumed above, keys flattened with dots. */
  attributes: Record<string, unknown>;
  /** Where the line came from, for --logs and error messages. */
  origin: string;
  lineNo: number;
}

/** Where a line sits: its time and its place in its file (ms clocks stamp many lines alike). */
export interface LinePos {
  timeNs: bigint;
  origin: string;
  lineNo: number;
}

/** A line kept as evidence for inference: enough to tell a call from an answer, and whom it names. */
export interface LineFact extends LinePos {
  /**
   * The message, error and short string fields, joined and capped: what "names a service"
   * searches. Empty for answer lines that are not errors: an answer is taken as the answer to
   * the call before it, whoever it names, so its text need not be kept.
   */
  text: string;
  /** It reports an outcome (an error, a status, a duration, "returned"): an answer, never a call. */
  answer: boolean;
  /** Why it makes its span an error (span-errors.ts), or null. */
  errorReason: string | null;
}

/**
 * What parent inference, clock offsets and the silent-failure rule need to know about a span's
 * lines, folded from them so that a span's lines need not be kept (`traces` keeps only this).
 * Bounded per span: the earliest lines only. Times are as logged, before any skew adjustment.
 */
export interface SpanEvidence {
  /** The earliest and latest timed lines, and the latest one's message. */
  first: LinePos | null;
  last: LinePos | null;
  lastMessage: string;
  /** The earliest timed lines (at most EVIDENCE_LINES), in position order. */
  lines: LineFact[];
  /** The earliest error lines (at most a few), in position order. */
  errorLines: LineFact[];
  /** Some line carried a duration: the span logged its end. */
  hasDuration: boolean;
  /** Some line carried a parent span id. */
  logsParent: boolean;
  /** The process id of the earliest line, '' when no line says. */
  pid: string;
}

/** One unit of work: a span from explicit ids, or a service visit inferred from timing. */
export interface Span {
  spanId: string;
  /** The parent as used in the tree (explicit or inferred); null for roots. */
  parentSpanId: string | null;
  service: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  /** The span's log lines in time order; empty where only facts were kept (`traces`, `check --all`). */
  records: LogRecord[];
  /** What inference reads of the span's lines (kept whether or not the records are). */
  evidence: SpanEvidence;
  /** Lines (records) the span was folded from. */
  lineCount: number;
  error: boolean;
  errorMessage: string | null;
  /** True when the parent edge was inferred from timing/services rather than logged. */
  inferredParent: boolean;
  /**
   * How an inferred parent was found: a call line naming this span's service just before it
   * (`call`), an interval of its own process or of a caller that contains it (`containment`), or
   * only the order of starts (`order`). Null for logged edges and roots.
   */
  inferredBy: InferredBy | null;
  /**
   * This span's clock offset against the trace's first clock, estimated from call lines and the
   * callee's answers before any nesting (ms; positive = this clock runs ahead). Analysis uses it
   * to undo skew; 0 when no skew was found.
   */
  clockOffsetMs: number;
  /** True when the span was referenced as a parent but never logged a line. */
  placeholder: boolean;
  host: string | null;
  kind: SpanKind | null;
  /**
   * The status its latest line with one answered with (a request's first line, method and route,
   * comes before its answer "request completed status=402"). Absent on spans built elsewhere.
   */
  status?: AnsweredStatus | null;
  http?: HttpInfo;
  grpc?: GrpcInfo;
  /** A 4xx answer or a line at warn level: worth a look, not a failure. */
  warning: boolean;
  /** Children in start order (filled in by tree building). */
  children: Span[];
  /** Depth in the tree, 0 for roots. */
  depth: number;
  /** The earliest, deepest failing span: where the error most likely started. */
  errorOrigin: boolean;
  /** Clock-skew shift applied to this span, in ms (analysis stage; 0 when none). */
  skewShiftMs: number;
  /** The span started inside its parent but ended after it (caller gave up, work went on). */
  outlivesParent: boolean;
}

/**
 * How the tree's structure was obtained: logged parent ids, span ids with inferred parents,
 * or trace ids only (one segment per service visit), or a mix.
 */
export type Structure = 'parent-ids' | 'span-ids' | 'trace-id-only' | 'mixed';

export interface ScanStats {
  /** Every line the sources delivered or skipped by the prefilter. */
  linesRead: number;
  /** Lines that belong to the trace(s) asked for. */
  linesMatched: number;
  /** Candidate lines that could not be parsed (truncated JSON, plain text, NUL bytes…). */
  malformedLines: number;
  /** Of the malformed lines, those skipped for being longer than the line limit (sources/line-limit.ts). */
  longLines?: number;
  bytesRead: number;
}

export interface Trace {
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  /** All spans in tree order: depth-first, children by start. */
  spans: Span[];
  roots: Span[];
  /** Services in order of first appearance in the tree. */
  services: string[];
  errorCount: number;
  structure: Structure;
  /** Human-readable notes: inferred structure, placeholders, skew shifts, duplicate ids… */
  warnings: string[];
  /** Log lines that belong to the trace, in time order (for --format logs); empty where only facts were kept. */
  records: LogRecord[];
  /** Records that carried the trace id, whether or not they were kept. */
  recordCount: number;
  /**
   * Errors its services printed in the trace's window without naming a request (a Go panic),
   * when no one request can be told to be theirs. Absent where not looked for (`traces`).
   */
  unattachedErrors?: UnattachedError[];
}

/** An error line no request can be given: shown with its service in the trace's window. */
export interface UnattachedError {
  record: LogRecord;
  /** Why it is not on a span: how many of the service's requests were running then, or what was not read. */
  reason: string;
}

export function newStats(): ScanStats {
  return { linesRead: 0, linesMatched: 0, malformedLines: 0, bytesRead: 0 };
}
