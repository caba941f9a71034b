// Which library wrote a line, guessed cheaply from its shape (top-level keys and value types),
// because some meanings depend on it: a unitless `latency` is seconds in zap but ns in echo, `id`
// and `name` are the span's only in whole-span dumps, integer span kinds follow OTLP numbering only
// in OTLP/Go output. The first matching row wins; a line matching none is 'generic'.
import type { DurationUnit } from './fields.js';
import { isBigMarked } from './key-trie.js';

type TypeName = 'string' | 'number' | 'object' | 'any';

export interface Producer {
  name: string;
  /** Keys that must all be present, with the value type. */
  all: [key: string, type: TypeName][];
  /** At least one of these keys must be present (when given). */
  any?: string[];
  /** Key → exact value required. */
  equals?: [key: string, value: unknown][];
  /** Unit of unitless duration numbers. */
  durationUnit?: DurationUnit;
  /** Whole-span dump: `id`, `name`, `kind`, `status` describe the span. */
  spanDump?: true;
  /** Integer span kinds follow OTLP (1 internal … 5 consumer); other numberings are ignored. */
  otlpKinds?: true;
  /** `name` is the app/logger name, a weak service fallback (bunyan, pino, Python logging). */
  nameIsService?: true;
  /** `Attributes`/`Resource` are Go `[{Key, Value: {Type, Value}}]` lists (OTel Go stdout exporters). */
  goKeyValues?: true;
  /** A missing level means info (Serilog CLEF omits `@l` for Information). */
  defaultLevel?: 'info';
  /** The top-level key whose object holds the line's own fields, read as if at the top (roarr `context`). */
  fieldsIn?: string;
}

export const PRODUCERS: Producer[] = [
  // Span dumps first: their `name`/`id` must not be read as a logger name.
  { name: 'go-stdouttrace', all: [['SpanContext', 'object'], ['StartTime', 'string']], spanDump: true, otlpKinds: true, goKeyValues: true },
  { name: 'go-stdoutlog', all: [['Timestamp', 'string'], ['Body', 'any']], any: ['Severity', 'SeverityText'], goKeyValues: true },
  { name: 'python-console-span', all: [['context', 'object'], ['start_time', 'string'], ['name', 'string']], spanDump: true },
  // Zipkin v2 and OTel-JS console spans: µs `timestamp` and `duration` numbers.
  { name: 'zipkin', all: [['traceId', 'any'], ['id', 'any'], ['timestamp', 'number']], any: ['duration', 'localEndpoint'], spanDump: true, durationUnit: 'us' },
  // Datadog's log-trace correlation: `duration` is in nanoseconds, as on its spans.
  { name: 'datadog', all: [['dd', 'object']], durationUnit: 'ns', nameIsService: true },
  { name: 'datadog-flat', all: [['dd.trace_id', 'any']], durationUnit: 'ns', nameIsService: true },
  { name: 'zap', all: [['ts', 'number'], ['level', 'string']], any: ['caller', 'msg'], durationUnit: 's' },
  // zap with an ISO8601/RFC3339 time encoder writes `ts` as a string: told by zap's key set then
  // (`msg` and its caller or logger name), since a string `ts` alone is common to many loggers.
  { name: 'zap', all: [['ts', 'string'], ['level', 'string'], ['msg', 'string']], any: ['caller', 'logger'], durationUnit: 's' },
  { name: 'bunyan', all: [['level', 'number'], ['name', 'string']], equals: [['v', 0]], nameIsService: true, durationUnit: 'ms' },
  { name: 'pino', all: [['level', 'number']], any: ['pid', 'hostname', 'time'], nameIsService: true, durationUnit: 'ms' },
  // Python's logging through a JSON formatter (python-json-logger): `name` is the logger's, and
  // services log through logging.getLogger("<service>"). `root` and `__main__` are refused later.
  { name: 'python-logging', all: [['name', 'string']], any: ['levelname', 'asctime'], nameIsService: true },
  // roarr: message, sequence, time and version at the top, everything else (level, app, the
  // user's fields) in `context`.
  { name: 'roarr', all: [['context', 'object'], ['message', 'string'], ['sequence', 'any'], ['version', 'string']], fieldsIn: 'context' },
  { name: 'echo', all: [['remote_ip', 'any'], ['latency_human', 'any']], durationUnit: 'ns' },
  { name: 'clef', all: [['@t', 'string']], any: ['@mt', '@m'], defaultLevel: 'info' },
  // Go encoding/json writes time.Duration as int ns: logrus (`msg`, `time`) and slog alike.
  { name: 'go-json', all: [['msg', 'string'], ['time', 'string'], ['level', 'string']], durationUnit: 'ns' },
  { name: 'zerolog', all: [['message', 'string'], ['time', 'any'], ['level', 'string']], durationUnit: 'ms' },
];

/** Producer of OTLP/JSON records built from `resourceLogs`/`resourceSpans` (set by otlp.ts). */
export const OTLP_PRODUCER: Producer = { name: 'otlp', all: [], otlpKinds: true, durationUnit: 'ns' };
export const GENERIC_PRODUCER: Producer = { name: 'generic', all: [] };

export function detectProducer(obj: Record<string, unknown>): Producer {
  for (let i = 0; i < MATCHERS.length; i++) if (MATCHERS[i]!(obj)) return PRODUCERS[i]!;
  return GENERIC_PRODUCER;
}

type Matcher = (obj: Record<string, unknown>) => boolean;

/** Each row compiled once into a predicate with flat key lists (this runs on every line). */
const MATCHERS: Matcher[] = PRODUCERS.map(compile);

function compile(p: Producer): Matcher {
  const keys = p.all.map(([k]) => k);
  const types = p.all.map(([, t]) => t);
  const any = p.any ?? null;
  const eqKeys = (p.equals ?? []).map(([k]) => k);
  const eqValues = (p.equals ?? []).map(([, v]) => v);
  return (obj) => {
    for (let i = 0; i < keys.length; i++) {
      const v = obj[keys[i]!];
      if (v === undefined) return false;
      const type = types[i]!;
      if (type !== 'any' && typeof v !== type && !(type === 'number' && isBigMarked(v))) return false;
    }
    if (any !== null) {
      let found = false;
      for (let i = 0; i < any.length && !found; i++) found = obj[any[i]!] !== undefined;
      if (!found) return false;
    }
    for (let i = 0; i < eqKeys.length; i++) if (obj[eqKeys[i]!] !== eqValues[i]) return false;
    return true;
  };
}
