import { metrics, trace, type Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { identityFromEnv, type ServiceIdentity } from './identity';

/**
 * A span processor that records nothing. With no exporter configured (the default) we still want
 * a tracer provider, so every log line carries a real trace id and context propagates downstream.
 */
const noExport: SpanProcessor = {
  onStart: () => undefined,
  onEnd: (_span: ReadableSpan) => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

export interface Telemetry {
  identity: ServiceIdentity;
  meter: Meter;
  /** Prometheus text exposition of every metric this process has recorded. */
  metricsText(): Promise<string>;
  shutdown(): Promise<void>;
}

let current: Telemetry | undefined;

/**
 * Starts OpenTelemetry: the tracer and meter providers, W3C trace-context and baggage
 * propagation, and the async context that carries them. Traces go where the standard `OTEL_*`
 * variables say and nowhere by default; metrics are always served as Prometheus text on /metrics.
 * No auto-instrumentation is loaded: keel makes its HTTP spans itself (http-spans.ts), where each
 * request enters and leaves, which costs a fraction of what patching http and undici did.
 */
export function startTelemetry(identity: ServiceIdentity = identityFromEnv()): Telemetry {
  if (current) return current;
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const exportTraces = (process.env.OTEL_TRACES_EXPORTER ?? 'none') !== 'none';
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const serializer = new PrometheusSerializer();
  const sdk = new NodeSDK({
    serviceName: `keel-${identity.service}`,
    metricReaders: [prometheus],
    ...(exportTraces ? {} : { spanProcessors: [noExport] }),
    instrumentations: [],
  });
  sdk.start();
  current = {
    identity,
    meter: metrics.getMeter('keel'),
    async metricsText() {
      const { resourceMetrics } = await prometheus.collect();
      return serializer.serialize(resourceMetrics);
    },
    shutdown: () => sdk.shutdown(),
  };
  return current;
}

/** The running telemetry; starts it with the environment's identity if no one has yet. */
export function telemetry(): Telemetry {
  return current ?? startTelemetry();
}

/** Fields that tie a log line to its trace (pino `mixin`). */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}
