// The one scenario every zoo entry runs: three nested spans in three services, real timers, the
// grandchild failing. Each library's script supplies an adapter that writes the log lines with
// that library; this module only times the spans and records the truth (never a log line).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowNs, sleep } from './clock.mjs';

export const SPANS = [
  { service: 'api-gateway', name: 'POST /api/checkout', method: 'POST', url: '/api/checkout', kind: 'server' },
  { service: 'order-service', name: 'POST /v1/orders', method: 'POST', url: '/v1/orders', kind: 'server' },
  { service: 'payment-service', name: 'POST /v1/charges', method: 'POST', url: '/v1/charges', kind: 'server' },
];

export class AcquirerTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AcquirerTimeoutError';
    this.code = 'ACQUIRER_TIMEOUT';
  }
}

// A real throw from a named function, so the stack has the frames a real failure has.
function callAcquirer(amountCents) {
  throw new AcquirerTimeoutError(`acquirer did not answer within 3 ms (amount ${amountCents})`);
}
function chargeCard() {
  try {
    callAcquirer(4999);
  } catch (err) {
    return err;
  }
  return null;
}

export const hex = (bytes) => randomBytes(bytes).toString('hex');

/**
 * Runs the scenario. adapter:
 *   ids(): { traceId, spanIds: [3 × 16 hex] }   (optional: random ids when absent)
 *   open(def, parent) → span object            (optional: OTel adapters start a real span)
 *   inContext(span, fn)                        (optional: run fn with span active)
 *   start(span)                                 write the span's start line
 *   end(span, { durationNs, err })              write its end line (err only on the grandchild)
 *   close(span, err)                            (optional: end a real span)
 * Returns the spans with their true start/end times.
 */
export async function runScenario(adapter) {
  const ids = adapter.ids ? adapter.ids() : { traceId: hex(16), spanIds: [hex(8), hex(8), hex(8)] };
  const spans = [];
  async function runSpan(level, parent) {
    const def = SPANS[level];
    const span = {
      ...def,
      level,
      traceId: ids.traceId,
      spanId: ids.spanIds?.[level],
      parentSpanId: parent ? parent.spanId : null,
      parent,
    };
    if (adapter.open) Object.assign(span, adapter.open(span, parent));
    spans.push(span);
    const body = async () => {
      span.startNs ??= nowNs(); // an OTel adapter's open() already started the span
      await adapter.start(span);
      await sleep(2);
      let err = null;
      if (level < SPANS.length - 1) {
        await runSpan(level + 1, span);
        await sleep(1);
      } else {
        await sleep(3);
        err = chargeCard();
        span.errNs = nowNs();
      }
      span.endNs = nowNs();
      span.err = err;
      await adapter.end(span, { durationNs: span.endNs - span.startNs, err });
      if (adapter.close) adapter.close(span, err);
    };
    if (adapter.inContext) await adapter.inContext(span, body);
    else await body();
  }
  await runSpan(0, null);
  return { traceId: spans[0].traceId, spans };
}

export function truthSpan(span, extra = {}) {
  const durationNs = span.endNs - span.startNs;
  const error = Boolean(span.err);
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: span.service,
    name: span.name,
    kind: span.kind,
    startUnixNano: span.startNs.toString(),
    endUnixNano: span.endNs.toString(),
    durationMs: Number(durationNs) / 1e6,
    status: error ? 'ERROR' : 'UNSET',
    httpStatus: span.httpStatus ?? null,
    error,
    warning: false,
    logged: true,
    ...extra,
  };
}

const here = dirname(fileURLToPath(import.meta.url));
export function versionOf(pkg) {
  return JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** Writes truth.json to the path run.mjs gave in ZOO_TRUTH (never to stdout, where the logs go). */
export function writeTruth({ libraries, traceId, spans, traceExtra = {} }) {
  const out = process.env.ZOO_TRUTH;
  if (!out) throw new Error('ZOO_TRUTH is not set: run this through run.mjs');
  const truth = {
    corpus: 'zoo',
    generator: 'corpus/generators/zoo-npm/run.mjs',
    libraries: Object.fromEntries(libraries.map((p) => [p, versionOf(p)])),
    traces: [{ traceId, scenario: 'grandchild-failure', ...traceExtra, spans }],
  };
  writeFileSync(out, JSON.stringify(truth, null, 2) + '\n');
}
