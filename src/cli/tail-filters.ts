import { UsageError } from '../errors.js';
import { regexQuote, logqlString } from '../sources/loki/logql.js';
import { traceIdLengthProblem, traceIdNeedles, traceIdsMatch } from '../trace-id.js';
import { prefixNeedles, startsWithPrefix, traceIdPrefix } from '../trace-prefix.js';
import { recordErrorReason } from '../assemble/span-errors.js';
import { LEVEL_RANK, LEVELS, type Level, type LogRecord } from '../types.js';

/** What `tail` keeps: every set filter must pass. */
export interface TailFilters {
  /** Empty: every service. */
  services: readonly string[];
  minLevel: Level | null;
  /** --errors: only the lines that make a span fail, by the rule `show` applies (span-errors.ts). */
  errorLines?: boolean;
  grep: RegExp | null;
  traceId: string | null;
  /** The typed id read as a prefix (8–31 hex), which `tail` itself prints: lines of every trace it starts. */
  tracePrefix?: string | null;
}

/** The filter flags as commander hands them over. */
export interface TailFilterFlags {
  service?: string;
  level?: string;
  errors?: boolean;
  grep?: string;
  trace?: string;
}

const LEVEL_ALIASES: Record<string, Level> = { warning: 'warn', err: 'error', critical: 'fatal', panic: 'fatal' };

export function parseTailFilters(flags: TailFilterFlags): TailFilters {
  const services = (flags.service ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let minLevel: Level | null = null;
  if (flags.level !== undefined) {
    const name = flags.level.trim().toLowerCase();
    minLevel = (LEVELS as readonly string[]).includes(name) ? (name as Level) : (LEVEL_ALIASES[name] ?? null);
    if (!minLevel) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}; got '${flags.level}'`);
  }
  let grep: RegExp | null = null;
  if (flags.grep !== undefined) {
    try {
      grep = new RegExp(flags.grep);
    } catch (err) {
      throw new UsageError(`--grep is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  let traceId: string | null = null;
  if (flags.trace !== undefined) {
    const tooLong = traceIdLengthProblem(flags.trace, '--trace');
    if (tooLong !== null) throw new UsageError(tooLong);
    if (traceIdNeedles(flags.trace).length === 0) throw new UsageError(`--trace '${flags.trace}' is not a trace id`);
    traceId = flags.trace.trim();
  }
  return { services, minLevel, errorLines: flags.errors === true, grep, traceId, tracePrefix: traceId === null ? null : traceIdPrefix(traceId) };
}

/**
 * The level a line counts as: its own, or, when it names none, error if it carries an error
 * field and info otherwise (so level-less error lines pass --level error).
 */
export function effectiveLevel(record: LogRecord): Level {
  return record.level ?? (record.error ? 'error' : 'info');
}

/**
 * An error line: what `--errors` shows, what `--trees` prints the trace of and what MCP's
 * tail_errors keeps. The rule that makes a span fail in `show`: a level of error or above, an
 * error field, an HTTP 5xx or a failed gRPC code. (pino-http logs a failed request at info with
 * its `err` and status 500 unless told otherwise: such a line is an error line.)
 */
export function isErrorRecord(record: LogRecord): boolean {
  return recordErrorReason(record) !== null;
}

export function recordPasses(record: LogRecord, f: TailFilters): boolean {
  if (f.services.length > 0 && !(record.service !== null && f.services.includes(record.service))) return false;
  if (f.minLevel && LEVEL_RANK[effectiveLevel(record)] < LEVEL_RANK[f.minLevel]) return false;
  if (f.errorLines && !isErrorRecord(record)) return false;
  if (f.traceId && !(record.traceId && (traceIdsMatch(record.traceId, f.traceId) || (f.tracePrefix && startsWithPrefix(record.traceId, f.tracePrefix))))) {
    return false;
  }
  if (f.grep && !grepHaystacks(record).some((text) => f.grep!.test(text))) return false;
  return true;
}

/** Message and fields, each tested on its own; fields as `key=value`. */
function grepHaystacks(record: LogRecord): string[] {
  const out = [record.message];
  if (record.error) out.push(record.error);
  if (record.errorStack) out.push(record.errorStack);
  if (record.spanName) out.push(record.spanName);
  if (record.http?.method) out.push(record.http.method);
  if (record.http?.route) out.push(record.http.route);
  if (record.http?.status !== undefined) out.push(`status=${record.http.status}`);
  if (record.durationMs !== null) out.push(`duration_ms=${record.durationMs}`);
  for (const [key, value] of Object.entries(record.attributes)) out.push(`${key}=${fieldText(value)}`);
  return out;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The LogQL line filters Loki can apply for us. Each keeps a superset of what the local filter
 * keeps, so pushing them down only saves traffic and never hides a line:
 * - the trace id as its raw-text needles (every encoding it can appear in);
 * - --grep only when it is a plain literal whose characters JSON writes unchanged (no quotes,
 *   backslashes, `<>&` that Go escapes, dots that nested keys flatten into, `=` of key=value).
 * The service list goes into the stream selector instead (see streamSelector in logql.ts).
 */
export function lokiLineFilters(f: TailFilters): string[] {
  const out: string[] = [];
  if (f.traceId) {
    const needles = [...new Set([...traceIdNeedles(f.traceId), ...(f.tracePrefix ? prefixNeedles(f.tracePrefix) : [])])];
    out.push(needles.length === 1 ? `|= ${logqlString(needles[0]!)}` : `|~ ${logqlString(needles.map(regexQuote).join('|'))}`);
  }
  if (f.grep && PLAIN_LITERAL.test(f.grep.source)) out.push(`|= ${logqlString(f.grep.source)}`);
  return out;
}

const PLAIN_LITERAL = /^[A-Za-z0-9 _\-:/@,#%!~']+$/;
