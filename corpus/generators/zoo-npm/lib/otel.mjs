// Real OpenTelemetry JS: one tracer provider per service (its Resource names the service), each
// with an InMemorySpanExporter, the source of truth for the OTel entries.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SPANS } from './scenario.mjs';
import { nowNs } from './clock.mjs';

const hr = (ns) => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

export function makeProviders() {
  return Object.fromEntries(
    SPANS.map((s) => {
      const exporter = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': s.service, 'deployment.environment.name': 'prod' }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      return [s.service, { provider, exporter, tracer: provider.getTracer('zoo-npm', '1.0.0') }];
    }),
  );
}

const kinds = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL };
const kindNames = ['internal', 'server', 'client', 'producer', 'consumer'];

/** Adapter parts that start each scenario span as a real OTel span and end it. */
export function otelSpans(providers) {
  return {
    open(span, parent) {
      const ctx = parent ? trace.setSpan(context.active(), parent.otel) : context.active();
      // The span starts now, on the scenario's clock (explicit startTime, as instrumentations pass
      // the request's arrival time), so the logged durations and the exported span agree.
      const startNs = nowNs();
      const otel = providers[span.service].tracer.startSpan(
        span.name,
        { kind: kinds[span.kind], startTime: hr(startNs), attributes: { 'http.request.method': span.method, 'url.path': span.url } },
        ctx,
      );
      const sc = otel.spanContext();
      return { otel, startNs, traceId: sc.traceId, spanId: sc.spanId };
    },
    inContext(span, fn) {
      return context.with(trace.setSpan(context.active(), span.otel), fn);
    },
    close(span, err) {
      span.otel.setAttribute('http.response.status_code', err ? 500 : 200);
      if (err) {
        span.otel.recordException(err, hr(span.errNs));
        span.otel.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      }
      span.otel.end(hr(span.endNs));
    },
  };
}

const ns = ([s, n]) => BigInt(s) * 1_000_000_000n + BigInt(n);

/** truth.json spans from what the exporters received. */
export function truthFromExporters(providers) {
  const all = Object.values(providers).flatMap(({ exporter }) => exporter.getFinishedSpans());
  all.sort((a, b) => (ns(a.startTime) < ns(b.startTime) ? -1 : 1));
  return all.map((s) => {
    const start = ns(s.startTime);
    const end = ns(s.endTime);
    const error = s.status.code === SpanStatusCode.ERROR;
    const httpStatus = s.attributes['http.response.status_code'] ?? null;
    return {
      spanId: s.spanContext().spanId,
      parentSpanId: s.parentSpanContext?.spanId ?? null,
      service: s.resource.attributes['service.name'],
      name: s.name,
      kind: kindNames[s.kind],
      startUnixNano: start.toString(),
      endUnixNano: end.toString(),
      durationMs: Number(end - start) / 1e6,
      status: ['UNSET', 'OK', 'ERROR'][s.status.code],
      httpStatus,
      error,
      warning: false,
      logged: true,
    };
  });
}
