// Which source keys feed which normalised field, in priority order. Pure data: the code that
// applies it (key-trie.ts, build-record.ts) knows no key names. Field names and their order come
// from /shared/docs/log-formats.md, which checked them against each library's source.
//
// Every path is looked up three ways (key-trie.ts): exact flat key (`"log.level"`), nested path
// (`log` → `level`) and mixed (`"log.origin": {"file.name": …}`), ranked in that order.

/** The normalised slots a line's keys can fill. */
export enum Slot {
  Time,
  TimeSeconds,
  TimeNanos,
  StartTime,
  EndTime,
  Level,
  Message,
  Service,
  LoggerName,
  TraceId,
  SpanId,
  ParentSpanId,
  Duration,
  DurationIdle,
  ErrorMessage,
  ErrorStack,
  ErrorType,
  SpanStatus,
  HttpMethod,
  HttpStatus,
  HttpRoute,
  GrpcService,
  GrpcMethod,
  GrpcCode,
  SpanName,
  SpanKind,
  Host,
  /** The service or address a line says it calls (read for inference; kept as attributes too). */
  Peer,
  /** The process id (read for in-process nesting; kept as attributes too). */
  Pid,
  /** Wrapper/bookkeeping keys that are dropped, not kept as attributes. */
  Drop,
}

export const SLOT_COUNT = Slot.Drop + 1;

export type DurationUnit = 'ns' | 'us' | 'ms' | 's';

export interface Alias {
  path: string;
  /**
   * How to read the value: a duration unit; a level scale (`pino`, `otel`, `logback`);
   * `template` (Serilog `@mt`); `stack` (an error stack, message from its first/last line);
   * `callerStack` (a stack that is not an error: zap `stacktrace`); `busy` (Rust time.busy, add idle).
   */
  hint?: DurationUnit | 'pino' | 'otel' | 'logback' | 'template' | 'stack' | 'callerStack' | 'busy' | 'statusText';
  /** Only in whole-span dumps (Zipkin, OTel console exporters), where `id`/`name`/`kind` are the span's. */
  spanDumpOnly?: true;
  /** Never in span dumps (bunyan/pino `name` is the logger there, the span name in dumps). */
  notInSpanDump?: true;
  /** The slot also takes a whole object here (pino `err`, OTLP `body`); otherwise objects are descended into. */
  objects?: true;
  /**
   * A generic name that counts only with corroboration: a route key (`path`, `uri`, `url`) only
   * next to an HTTP method or status; the GCP LogEntry `trace` only with its `projects/` prefix.
   */
  weak?: true;
}

const a = (path: string, extra: Omit<Alias, 'path'> = {}): Alias => ({ path, ...extra });
const all = (...paths: string[]): Alias[] => paths.map((p) => a(p));

// Duration keys that carry their unit in the name: stem × suffix, generated so the table stays short.
const DURATION_STEMS = ['duration', 'latency', 'elapsed', 'elapsed_time', 'took', 'response_time', 'request_time', 'time_taken'];
const CAMEL_STEMS = ['duration', 'latency', 'elapsed', 'took', 'responseTime', 'requestTime', 'timeTaken'];
const UNIT_SUFFIXES: [string, DurationUnit][] = [['_ms', 'ms'], ['_ns', 'ns'], ['_us', 'us'], ['_seconds', 's'], ['_sec', 's']];
const CAMEL_SUFFIXES: [string, DurationUnit][] = [['Ms', 'ms'], ['Ns', 'ns'], ['Us', 'us'], ['Seconds', 's']];

const unitKeyed: Alias[] = [
  a('grpc.time_ms', { hint: 'ms' }),
  a('grpc.time_ns', { hint: 'ns' }),
  ...DURATION_STEMS.flatMap((stem) => UNIT_SUFFIXES.map(([suffix, unit]) => a(stem + suffix, { hint: unit }))),
  ...CAMEL_STEMS.flatMap((stem) => CAMEL_SUFFIXES.map(([suffix, unit]) => a(stem + suffix, { hint: unit }))),
];

export const FIELD_ALIASES: Record<Slot, Alias[]> = {
  [Slot.Time]: [
    a('@timestamp'),
    a('timestamp', { objects: true }), // GCP LogEntry may write {seconds, nanos}
    ...all('time', 'ts', '@t', 'timeUnixNano', 'observedTimeUnixNano', 'Timestamp', 'asctime', 'T'),
    a('instant', { objects: true }), // log4j JsonLayout {epochSecond, nanoOfSecond}
  ],
  [Slot.TimeSeconds]: all('timestampSeconds'), // GCP
  [Slot.TimeNanos]: all('timestampNanos'),
  [Slot.StartTime]: all('startTimeUnixNano', 'StartTime', 'start_time', 'startTime'),
  [Slot.EndTime]: all('endTimeUnixNano', 'EndTime', 'end_time', 'endTime'),
  [Slot.Level]: [
    ...all('level', 'log.level', 'severity'),
    a('severityNumber', { hint: 'otel' }), // preferred to the free-text severityText
    ...all('severityText', 'levelname', '@l', 'lvl', 'L', 'SeverityText'),
    a('Severity', { hint: 'otel' }),
    ...all('LEVEL', 'Level', 'SEVERITY', 'LVL', 'Lvl', 'logLevel'), // roarr: pino's numbers
    a('level_value', { hint: 'logback' }),
  ],
  [Slot.Message]: [
    ...all('msg', 'message', '@m'),
    a('@mt', { hint: 'template' }),
    a('event'), // structlog; ECS `event` is an object and is descended into instead
    a('body', { objects: true }), // OTLP AnyValue
    a('Body', { objects: true }),
    ...all('M', 'fields.message', 'short_message'), // … GELF
  ],
  // The line's own service field, in the order the issue of real libraries showed: the snake
  // form the trace-ids-in-logs convention uses, then the OTel/ECS/Datadog spellings.
  [Slot.Service]: all(
    'service_name', 'service', 'service.name', 'serviceName', 'resource.service.name', 'otelServiceName',
    'dd.service', 'localEndpoint.serviceName', 'process.serviceName', 'app', 'application', 'app_name',
  ),
  // A logger or app name: the service only when neither the line nor the source says one.
  // bunyan/pino `name` counts only for those libraries (detectProducer); zap's `logger`, log4js's
  // `categoryName` and roarr's `context.application` name the app by convention.
  [Slot.LoggerName]: [a('name', { notInSpanDump: true }), ...all('logger', 'categoryName', 'context.application')],
  [Slot.TraceId]: [
    ...all('trace_id', 'traceId', 'traceID', 'trace.id', 'otelTraceID', '@tr', 'dd.trace_id',
      'logging.googleapis.com/trace', 'X-B3-TraceId', 'xray_trace_id', 'context.trace_id',
      'SpanContext.TraceID', 'TraceID', 'traceid'),
    a('trace', { weak: true }), // GCP LogEntry exports: "projects/P/traces/<hex>"
  ],
  [Slot.SpanId]: [
    ...all('span_id', 'spanId', 'spanID', 'span.id', 'otelSpanID', '@sp', 'dd.span_id',
      'logging.googleapis.com/spanId', 'X-B3-SpanId', 'context.span_id', 'SpanContext.SpanID', 'SpanID'),
    a('id', { spanDumpOnly: true }),
    a('transaction.id'), // ECS: the transaction is the service-entry span
  ],
  [Slot.ParentSpanId]: all(
    'parent_span_id', 'parentSpanId', 'parentId', 'parent_id', 'parentSpanContext.spanId', 'Parent.SpanID',
    'X-B3-ParentSpanId', 'parent.id', 'ParentSpanID',
  ),
  [Slot.Duration]: [
    ...unitKeyed,
    ...all('duration', 'latency', 'elapsed'),
    a('elapsed_time', { hint: 'ms' }), // logstash AccessEvent
    a('took'),
    a('response_time'),
    a('responseTime', { hint: 'ms' }), // pino-http
    a('event.duration', { hint: 'ns' }), // ECS
    a('httpRequest.latency'), // GCP: "0.012s"
    a('fields.time.busy', { hint: 'busy' }), // Rust tracing close events: busy + idle
    a('time.busy', { hint: 'busy' }),
    a('grpc.duration'),
    a('dur', { hint: 'ms' }), // zerolog Dur
    a('latency_human'),
  ],
  [Slot.DurationIdle]: all('fields.time.idle', 'time.idle'),
  [Slot.ErrorMessage]: [
    a('error.message'),
    a('err', { objects: true }), // pino {type,message,stack}, bunyan {name,message,stack,code}
    a('error', { objects: true }), // a string (Go libraries) or an ECS object
    a('exception.message'),
    a('exception', { objects: true }), // structlog string or list of dicts
    a('thrown', { objects: true }), // log4j JsonLayout
    a('grpc.error'),
    a('@x', { hint: 'stack' }),
    a('error.stack_trace', { hint: 'stack' }),
    a('exc_info', { hint: 'stack' }),
    a('stack_trace', { hint: 'stack' }),
    a('exception.stacktrace', { hint: 'stack' }),
    a('_exception', { hint: 'stack' }),
    a('errorVerbose', { hint: 'stack' }),
    a('stack', { hint: 'stack' }),
  ],
  // Stacks that come with an error found above, and zap's caller stack (never an error by itself).
  [Slot.ErrorStack]: [
    a('error.stack', { hint: 'stack' }),
    a('stacktrace', { hint: 'callerStack' }),
  ],
  [Slot.ErrorType]: all('error.type', 'exception.type', 'error.kind'),
  // A span's status, from span dumps (`Status {Code}`) and from span-end lines: `status: "ERROR"`,
  // `otel.status_code`, `status.code: 2` (OTLP numbering). Only an error status is read; HTTP
  // statuses under the same key are numbers ≥ 100 and left to the HTTP slot.
  [Slot.SpanStatus]: [
    a('Status', { spanDumpOnly: true, objects: true }),
    a('status', { objects: true }),
    a('otel.status_code'),
    a('status.code'),
    a('status_code'),
    a('span.status', { objects: true }),
    a('span_status'),
    a('otel.status_description', { hint: 'statusText' }),
    a('status.message', { hint: 'statusText' }),
    a('status_message', { hint: 'statusText' }),
  ],
  [Slot.HttpMethod]: all(
    'http.request.method', 'http.method', 'httpRequest.requestMethod', 'req.method', 'request.method', 'method',
  ),
  [Slot.HttpStatus]: all(
    'http.response.status_code', 'http.status_code', 'httpRequest.status', 'res.statusCode', 'response.status',
    'status_code', 'statusCode', 'status',
  ),
  [Slot.HttpRoute]: [
    ...all('http.route', 'url.path'),
    a('uri', { weak: true }),
    a('path', { weak: true }),
    ...all('http.target', 'url.full', 'http.url'),
    a('req.url', { weak: true }),
    a('httpRequest.requestUrl'),
    a('url', { weak: true }),
  ],
  [Slot.GrpcService]: all('rpc.service', 'grpc.service'),
  [Slot.GrpcMethod]: all('rpc.method', 'grpc.method'),
  [Slot.GrpcCode]: all('rpc.grpc.status_code', 'rpc.response.status_code', 'grpc.code', 'grpc.status_code'),
  [Slot.SpanName]: [
    ...all('span_name', 'spanName', 'operation', 'operationName', 'operation_name', 'span.name'),
    a('name', { spanDumpOnly: true }),
    a('Name', { spanDumpOnly: true }),
  ],
  [Slot.SpanKind]: [
    ...all('span.kind', 'spanKind', 'span_kind', 'grpc.component'),
    a('kind', { spanDumpOnly: true }),
    a('SpanKind', { spanDumpOnly: true }),
  ],
  [Slot.Host]: all(
    'hostname', 'host.name', 'host.hostname', 'host', 'kubernetes.pod.name', 'k8s.pod.name', 'resource.host.name',
    'resource.k8s.pod.name', 'pod_name',
  ),
  // Where a call line names its callee besides its message (OTel semantic conventions first).
  [Slot.Peer]: all('peer.service', 'server.address', 'net.peer.name', 'upstream', 'upstream.service', 'url.full', 'http.url'),
  [Slot.Pid]: all('pid', 'process.pid'),
  [Slot.Drop]: all('stream', 'v', '@version', 'ecs.version'),
};

/**
 * The label a file source attaches with the service its file name implies: the last resort, after
 * the line's own service, the source's real labels and a logger name.
 */
export const FILE_SERVICE_LABEL = '__file_service__';

/** Loki/file labels, in the order to try them, for what the line itself does not say. */
export const LABEL_ALIASES = {
  // grafana/loki discover_service_name order, after the explicit service_name.
  service: ['service_name', 'service', 'app', 'application', 'app_name', 'name', 'app_kubernetes_io_name',
    'container', 'container_name', 'k8s_container_name', 'component', 'workload', 'job', 'k8s_job_name'],
  level: ['level', 'detected_level', 'severity', 'lvl'],
  host: ['host', 'hostname', 'pod', 'instance'],
} as const;

/**
 * Top-level keys whose object value holds more fields of the line itself (OTel console exporters'
 * `attributes`, Zipkin `tags`): their keys are matched as if they were at the top level.
 */
export const TRANSPARENT_KEYS: ReadonlySet<string> = new Set(['attributes', 'tags', 'Attributes']);

/** Slots whose losing candidates repeat the winner (severityText next to severityNumber): dropped. */
export const REDUNDANT_SLOTS: ReadonlySet<Slot> = new Set([Slot.Level]);
