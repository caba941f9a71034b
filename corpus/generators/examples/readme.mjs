// What run.mjs writes beside the logs: examples/README.md (for people) and record.json (the
// scenario's own record of every trace and span, for tests; never parsed as a log line).

import { NOTABLE, TRACE_COUNT } from './scenario.mjs';
import { HOST_SKEW_US } from './shop.mjs';

const FORMATS = {
  zap: 'Go, zap production config (`ts` epoch seconds, `latency` a time.Duration in seconds, `caller`, `stacktrace` on error lines, `error` from zap.Error)',
  pino: 'Node, pino + pino-http (`time` epoch ms, numeric levels, `req` / `res` from pino-http\'s serializers, `responseTime` in ms, `err` from pino\'s serializer)',
  structlog: 'Python, structlog JSONRenderer (`event`, `level`, ISO `timestamp`, `duration_ms`, `exception` from format_exc_info)',
};

/**
 * @param {{file:string, service:string, library:string, lines:number}[]} files
 * @param {Record<string, string>} libraries
 */
export function readme(files, libraries) {
  const rows = files.map((f) => `| \`${f.file}\` | ${f.library} | ${f.lines} |`);
  const versions = Object.entries(libraries).map(([name, v]) => `${name} ${v.replace(/^go(?=\d)/, '')}`).join(', ');
  return `# Example logs

Written by \`corpus/generators/examples/run.mjs\` (\`npm run examples\`); do not edit by hand.
Every line is written by the service's real logging library; the scenario is deterministic
(fixed seed, fixed start time 2025-11-25T09:00:00Z, the libraries given the scenario's clock), so
the ids below are stable. See \`corpus/generators/examples/README.md\` for how.

Written with: ${versions}.

Three minutes of a small shop: ${TRACE_COUNT} requests through five services, one file per service.

\`\`\`
api-gateway ─┬─ order-service ─┬─ inventory-service        (checkout: POST /api/orders)
             │                 └─ payment-service ── fraud-check
             ├─ order-service                             (order status: GET /api/orders/:id)
             └─ inventory-service                         (product page: GET /api/products/:sku)
\`\`\`

| file | library | lines |
|---|---|---|
${rows.join('\n')}

Formats: ${Object.entries(FORMATS).map(([k, v]) => `**${k}**: ${v}`).join('; ')}.
Only order-service and payment-service name themselves (\`service\`); the others are known by
their file name. \`inventory-service.log.gz\` is gzipped after it was written (the generator plays
the log rotator) to show that \`.gz\` files are read as is; the truncated line below is cut after
zap wrote it (the generator plays the damaged disk).

## Traces worth a look

${NOTABLE.map((n) => `- \`${n.id}\`: ${n.note}`).join('\n')}

The other traces are ordinary successful requests. Try:

\`\`\`
mcp-trace show 4bf92f3577b34da6a3ce929d0e0e4736 examples/*.log*
\`\`\`
`;
}

/** Every trace the scenario ran, with its spans' true times (µs) and their host clocks' readings. */
export function record(plan, shop, files, libraries) {
  const notable = new Map(NOTABLE.map((n) => [n.id, n]));
  const byTrace = new Map(plan.map(({ kind, trace }) => [trace.id, { traceId: trace.id, kind, ids: trace.ids, scenario: trace.scenario ?? null, spans: [] }]));
  for (const s of shop.spans) {
    const skew = HOST_SKEW_US[s.host] ?? 0;
    byTrace.get(s.trace.id).spans.push({
      service: s.service, spanId: s.spanId, parentSpanId: s.parent?.spanId ?? null, host: s.host,
      startUs: s.startUs, endUs: s.endUs, clockStartUs: s.startUs + skew, clockEndUs: s.endUs + skew, status: s.status,
    });
  }
  return {
    generator: 'corpus/generators/examples/run.mjs',
    libraries,
    files: files.map(({ file, service, library, lines }) => ({ file, service, library, lines })),
    traces: [...byTrace.values()].map((t) => ({ ...t, notable: notable.has(t.traceId) })),
  };
}
