// What the OpenTelemetry Collector's file exporter writes for traces: one OTLP/JSON
// ExportTraceServiceRequest per line. The spans are real @opentelemetry/sdk-trace-base spans, one
// tracer provider (Resource service.name) per service; each provider's batch is serialised by
// @opentelemetry/otlp-transformer's JsonTraceSerializer.serializeRequest, the OTLP/JSON encoding
// (hex ids, nanosecond times) an OTLP exporter sends the collector. One line per batch, in the
// order the spans ended (payment, order, gateway), as a collector receiving three exports writes them.
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { runScenario, writeTruth, SPANS } from '../lib/scenario.mjs';
import { makeProviders, otelSpans, truthFromExporters } from '../lib/otel.mjs';

const providers = makeProviders();
const { traceId } = await runScenario({
  ...otelSpans(providers),
  start() {},
  end() {},
});

const decoder = new TextDecoder();
for (const s of [...SPANS].reverse()) {
  const { provider, exporter } = providers[s.service];
  await provider.forceFlush();
  process.stdout.write(decoder.decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())) + '\n');
}

writeTruth({
  libraries: ['@opentelemetry/sdk-trace-base', '@opentelemetry/otlp-transformer', '@opentelemetry/api'],
  traceId,
  spans: truthFromExporters(providers),
});
