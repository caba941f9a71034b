#!/usr/bin/env node
// Regenerates corpus/zoo/<library>/ for the npm libraries. Each library's script (libs/*.mjs) runs
// in its own process, writes its log lines to stdout with the real library (run.mjs copies that
// stream to the entry's log file byte for byte) and its truth to the path in ZOO_TRUTH.
// docker-json-pino and cri-pino are the pino run's stdout, wrapped here, line by line as it
// arrives, in docker's json-file and the CRI log format: there is no container engine on this
// machine, so this file plays the runtime's part (and only that part).
//
//   cd corpus/generators/zoo-npm && npm ci && node run.mjs [library ...]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowNs, rfc3339Nano } from './lib/clock.mjs';
import { versionOf } from './lib/scenario.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const zoo = join(here, '..', '..', 'zoo');

const v = (p) => `${p} ${versionOf(p)}`;
const NOTE_SERVICES =
  'Three services in one process (api-gateway → order-service → payment-service), all writing to one stream, so a service can only come from the line.';
const SCENARIO = 'root POST /api/checkout → child POST /v1/orders → grandchild POST /v1/charges, which fails (AcquirerTimeoutError, 500).';

// Per library: its script, the log file's name, how parents are known, and what carries what.
const LIBRARIES = {
  pino: {
    file: 'pino.log',
    parents: 'explicit',
    serviceFrom: 'field',
    describe: () =>
      `${v('pino')}, plain: service in \`base\` (field \`service\`); trace_id / span_id / parent_span_id from a child logger's bindings; pino-http's end lines: duration \`responseTime\` in ms (µs precision), \`res.statusCode\`; error: pino's \`err\` serializer (err.type, err.message, err.stack) on the level-50 end line; time: epoch ms \`time\`.`,
  },
  'pino-datadog': {
    file: 'pino-datadog.log',
    parents: 'explicit',
    serviceFrom: 'field',
    describe: () =>
      `${v('pino')} shaped the way dd-trace's log injection shapes it: nested \`dd\` object with dd.service, dd.env, dd.version, dd.trace_id and dd.span_id as DECIMAL strings of the low 64 bits (the 128-bit trace id, in truth.json as traceId128, never appears: Datadog logs carry only the low 64 bits; truth traceId is their 16 hex, what mcp-trace prints); parent: \`parent_span_id\`, decimal like dd.span_id (Datadog logs have no parent field); duration: \`duration\` in NANOSECONDS (Datadog's standard attribute, as on its spans); level as \`status\` label; \`message\`; error: Datadog's standard error.kind / error.message / error.stack via pino's errorKey option; http.method / http.url / http.status_code; ISO \`time\`.`,
  },
  bunyan: {
    file: 'bunyan.log',
    parents: 'explicit',
    serviceFrom: 'logger-name',
    describe: () =>
      `${v('bunyan')}: NO service field, the logger \`name\` is the service; trace_id / span_id / parent_span_id from a child logger; duration: \`latency\` in integer ms (restify's audit logger); res.statusCode; error: bunyan.stdSerializers.err (err.message, err.name, err.stack, err.code) on the level-50 end line; ISO \`time\`, \`v\`:0, hostname, pid.`,
  },
  winston: {
    file: 'winston.log',
    parents: 'explicit',
    serviceFrom: 'field',
    describe: () =>
      `${v('winston')}, format.combine(errors({stack:true}), timestamp(), json()) (keys sorted by safe-stable-stringify): service in defaultMeta (\`service\`), trace_id / span_id / parent_span_id from a child logger; duration: the profiler's \`durationMs\` (startTimer()…done(), integer ms from Date.now()). NOTE winston's profiler writes through logger.write(), which skips defaultMeta: the end lines (the ones with durationMs) have NO service field, only the start lines do. Error: the Error passed as done()'s message, so format.errors lifts \`message\` and \`stack\` (plus name and code) onto the level "error" end line; statusCode, method, url; ISO \`timestamp\`.`,
  },
  log4js: {
    file: 'log4js.log',
    parents: 'explicit',
    serviceFrom: 'logger-name',
    describe: () =>
      `${v('log4js')} with ${v('log4js-json-layout')} (log4js has no JSON layout of its own): NO service field, the category (\`categoryName\`) is the service; message in \`data\`; trace_id / span_id / parent_span_id, method, url, status, \`responseTime\` (integer ms) spread from an object argument; level as "INFO"/"ERROR"; error: the layout util.format()s the Error into \`data\` ("request errored AcquirerTimeoutError: … \\n    at …", message and stack in one string), and spreads its own properties (name, code) onto the line; ISO \`startTime\`.`,
  },
  roarr: {
    file: 'roarr.log',
    parents: 'explicit',
    serviceFrom: 'logger-name',
    env: { ROARR_LOG: 'true' },
    describe: () =>
      `${v('roarr')} (ROARR_LOG=true, printing to stdout): everything but message/sequence/time/version is in \`context\`: NO service field, context.application is the service; context.trace_id / span_id / parent_span_id; context.logLevel (30 info, 50 error); duration: context.duration_ms (ms, µs precision); error: context.error = serializeError(err) (${v('serialize-error')}: name, message, stack, code); context.statusCode; epoch ms \`time\`, \`sequence\`.`,
  },
  'ecs-pino-format': {
    file: 'ecs-pino-format.log',
    parents: 'explicit',
    serviceFrom: 'field',
    describe: () =>
      `${v('@elastic/ecs-pino-format')} on ${v('pino')} (no APM agent, apmIntegration:false): dotted \`service.name\`, \`log.level\`, \`@timestamp\`, \`event.dataset\`; nested trace.id, transaction.id (= span.id: each service's entry span is its own transaction), span.id, parent.id; duration: event.duration in NANOSECONDS; error: \`err\` converted to error.type / error.message / error.stack_trace; http.response.status_code, event.outcome.`,
  },
  'ecs-winston-format': {
    file: 'ecs-winston-format.log',
    parents: 'explicit',
    serviceFrom: 'field',
    describe: () =>
      `${v('@elastic/ecs-winston-format')} on ${v('winston')} (no APM agent, apmIntegration:false; keys sorted): dotted \`service.name\`, \`log.level\`, \`@timestamp\`, \`event.dataset\` beside a nested \`event\` object; nested trace.id, transaction.id (= span.id), span.id, parent.id; duration: event.duration in NANOSECONDS; error: \`{ err }\` meta converted to error.type / error.message / error.stack_trace (plus the Error's own enumerable name and code); http.response.status_code, event.outcome.`,
  },
  'otel-collector-file': {
    file: 'traces.json',
    parents: 'explicit',
    serviceFrom: 'field',
    describe: () =>
      `OTLP/JSON ExportTraceServiceRequest, one per line, as the OpenTelemetry Collector's file exporter writes traces: real ${v('@opentelemetry/sdk-trace-base')} spans (one tracer provider per service, Resource attribute service.name), each provider's batch serialised by ${v('@opentelemetry/otlp-transformer')} JsonTraceSerializer.serializeRequest (the latest otlp-transformer that runs on Node 20); three lines, in the order the batches ended (payment, order, gateway). Hex traceId/spanId/parentSpanId, start/endTimeUnixNano (duration = end − start), kind 2 (server); the grandchild has status.code 2 (ERROR) with status.message and an "exception" event (exception.type is the error's \`code\`, as the SDK does, exception.message, exception.stacktrace); http.response.status_code attribute. No collector ran: the collector's own pdata marshaller would write the same fields, but may drop empty ones (droppedAttributesCount:0, links:[]).`,
  },
  'otel-logs-pino': {
    file: 'otel-logs-pino.log',
    parents: 'inferred',
    serviceFrom: 'logger-name',
    describe: () =>
      `${v('pino')} inside real OpenTelemetry spans (${v('@opentelemetry/sdk-trace-base')}, AsyncLocalStorage context) with ${v('@opentelemetry/instrumentation-pino')} at its defaults: trace_id, span_id, trace_flags only, NO parent span id (the bridge default) and NO service field: pino's \`name\` is the service. pino-http's end lines: \`responseTime\` in ms, res.statusCode; error: pino's \`err\` serializer. Truth is the in-memory exporter's (span times start slightly before the first line).`,
  },
};

const WRAPPED = {
  'docker-json-pino': {
    file: `${createHash('sha256').update('zoo-npm/pino').digest('hex')}-json.log`,
    describe: () =>
      `The pino entry's stdout (${v('pino')}, same trace, same lines byte for byte) wrapped as docker's json-file log driver writes it: {"log":"<line>\\n","stream":"stdout","time":"<RFC3339Nano UTC>"} per line, named <container-id>-json.log. No container engine ran here: run.mjs wraps each line as it arrives from the pino process, stamps the time it arrived (Go RFC3339Nano: nanoseconds, trailing zeros trimmed) and escapes the line the way docker's jsonlog does (<, >, & and U+2028/2029 as \\u escapes). Lines are short, so none is split into 16 KiB partials. Fields inside the line: as the pino entry.`,
  },
  'cri-pino': {
    file: '0.log',
    describe: () =>
      `The pino entry's stdout (${v('pino')}, same trace, same lines) in the CRI log format that containerd/CRI-O write under /var/log/pods/…/<container>/0.log: "<RFC3339Nano> stdout F <line>" per line (F = full line; none is long enough to need P partials). No container engine ran here: run.mjs writes each line as it arrives from the pino process, stamped with its arrival time (Go RFC3339Nano, UTC). Fields inside the line: as the pino entry.`,
  },
};

function runLibrary(name, spec, truthPath, onLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'libs', `${name}.mjs`)], {
      cwd: here,
      env: { ...process.env, ...spec.env, ZOO_TRUTH: truthPath },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks = [];
    let pending = '';
    child.stdout.on('data', (chunk) => {
      chunks.push(chunk);
      if (!onLine) return;
      const at = nowNs();
      pending += chunk.toString('utf8');
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl), at);
        pending = pending.slice(nl + 1);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${name} exited with ${code}`));
      else resolve(Buffer.concat(chunks));
    });
  });
}

// docker's jsonlog escaping: JSON string escapes plus <, >, & and U+2028/U+2029 as \u00XX / \u20XX.
function dockerString(s) {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function variantJson(name, description, parents, serviceFrom) {
  return JSON.stringify(
    { variant: name, description, skew: [], damagedLines: 0, expect: { parents }, serviceFrom },
    null,
    2,
  ) + '\n';
}

function freshDir(name) {
  const dir = join(zoo, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

const only = process.argv.slice(2);
const want = (n) => only.length === 0 || only.includes(n);

for (const [name, spec] of Object.entries(LIBRARIES)) {
  const wrapped = name === 'pino' && (want('docker-json-pino') || want('cri-pino'));
  if (!want(name) && !wrapped) continue;
  const dir = freshDir(name);
  const truthPath = join(dir, 'truth.json');
  const docker = [];
  const cri = [];
  const out = await runLibrary(name, spec, truthPath, wrapped ? (line, at) => {
    const t = rfc3339Nano(at);
    docker.push(`{"log":${dockerString(line + '\n')},"stream":"stdout","time":"${t}"}\n`);
    cri.push(`${t} stdout F ${line}\n`);
  } : null);
  writeFileSync(join(dir, spec.file), out);
  writeFileSync(join(dir, 'variant.json'), variantJson(name, `${spec.describe()} ${NOTE_SERVICES} ${SCENARIO}`, spec.parents, spec.serviceFrom));
  console.log(`zoo/${name}: ${out.toString().split('\n').filter(Boolean).length} lines`);
  if (wrapped) {
    const truth = readFileSync(truthPath, 'utf8');
    for (const [wname, lines] of [['docker-json-pino', docker], ['cri-pino', cri]]) {
      const w = WRAPPED[wname];
      const wdir = freshDir(wname);
      writeFileSync(join(wdir, w.file), lines.join(''));
      writeFileSync(join(wdir, 'truth.json'), truth);
      writeFileSync(join(wdir, 'variant.json'), variantJson(wname, `${w.describe()} ${NOTE_SERVICES} ${SCENARIO}`, 'explicit', 'field'));
      console.log(`zoo/${wname}: ${lines.length} lines`);
    }
  }
}
