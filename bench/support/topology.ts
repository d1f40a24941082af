import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawnService, tempDir } from '@keel/testing';
import { startProgram, type BenchProcess } from './processes';

const LOG_DIR = resolve('reports/bench/logs');

const DOWNSTREAM = 'bench/support/downstream.ts';

/** The fixture services behind every gateway under test, each its own process. */
export interface Downstreams {
  catalog: BenchProcess;
  recommendations: BenchProcess;
  /** An OTLP/HTTP trace collector stand-in (counts spans, keeps nothing). */
  otlpSink: BenchProcess;
  /** Another, for the sampled tracing mode, so each mode's spans are counted apart. */
  otlpSampledSink: BenchProcess;
  stop(): Promise<void>;
}

export async function startDownstreams(): Promise<Downstreams> {
  const all = await Promise.all([
    startProgram('catalog', DOWNSTREAM, ['catalog']),
    startProgram('recommendations', DOWNSTREAM, ['recommendations']),
    startProgram('otlp-sink', DOWNSTREAM, ['otlp-sink']),
    startProgram('otlp-sink-sampled', DOWNSTREAM, ['otlp-sink']),
  ]);
  const [catalog, recommendations, otlpSink, otlpSampledSink] = all;
  return { catalog, recommendations, otlpSink, otlpSampledSink, stop: async () => void (await Promise.all(all.map((p) => p.stop()))) };
}

export function startBareGateway(d: Downstreams): Promise<BenchProcess> {
  return startProgram('bare', 'bench/support/bare-gateway.ts', [], { CATALOG_URL: d.catalog.url, RECOMMENDATIONS_URL: d.recommendations.url });
}

/** Share of traces the `sampled` tracing mode keeps. */
export const SAMPLED_RATIO = 0.1;

/** How a keel gateway traces, set through the standard OTEL_* variables its telemetry reads. */
export type Tracing = 'off' | 'recorded' | 'exported' | 'sampled';

/**
 * - off: `OTEL_TRACES_SAMPLER=always_off`. keel's spans are still made, non-recording, and context
 *   still propagates (keel carries deadlines in baggage), but nothing is sampled or recorded.
 * - recorded: keel's default with no exporter configured: every span is created and recorded, then
 *   dropped by a no-op processor (log lines still carry real trace ids).
 * - exported: OTLP/HTTP protobuf through the SDK's batch span processor to the sink: what a
 *   deployment with a collector pays when it keeps every trace.
 * - sampled: the same export, with 1 trace in 10 sampled at the gateway (`parentbased_traceidratio`,
 *   0.1), a common production setting; the other 9 still propagate their context.
 */
export function tracingEnv(tracing: Tracing, d: Downstreams): Record<string, string> {
  if (tracing === 'off') return { OTEL_TRACES_SAMPLER: 'always_off' };
  if (tracing === 'recorded') return {};
  const sampling: Record<string, string> = tracing === 'sampled' ? { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(SAMPLED_RATIO) } : {};
  const sink = tracing === 'sampled' ? d.otlpSampledSink : d.otlpSink;
  return { ...sampling, OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.url}/v1/traces` };
}

/**
 * The real gateway app as its own process (`apps/gateway/src/main.ts` through SWC, as the stack
 * starts it) in front of the fixtures, writing its logs to a file as the stack does
 * (reports/bench/logs/<name>.log): a pipe back to the benchmark would block the gateway whenever
 * the benchmark's own loop is busy generating load. Checkout is never called by the routes
 * measured; it points at the catalog fixture so the gateway's readiness probe passes. The level is
 * `warn`: no per-request lines (the stack's `info` adds one per request), but every warning a
 * failing dependency causes is written, as in production.
 */
export async function startKeelGateway(name: string, d: Downstreams, env: Record<string, string> = {}): Promise<BenchProcess> {
  const data = tempDir('keel-bench-gateway-');
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = resolve(LOG_DIR, `${name}.log`);
  const gateway = await spawnService(resolve('apps/gateway/src/main.ts'), {
    dataDir: data.dir,
    logFile,
    env: {
      KEEL_SERVICE: 'gateway',
      KEEL_REGION: 'bench',
      KEEL_VERSION: '0.0.0-bench',
      KEEL_CATALOG_URL: d.catalog.url,
      KEEL_RECOMMENDATIONS_URL: d.recommendations.url,
      KEEL_CHECKOUT_URL: d.catalog.url,
      ...env,
    },
  }).catch((error: Error) => {
    data.remove();
    throw new Error(`gateway ${name} did not become ready; its log: ${logFile}\n${error.message}`);
  });
  const stop = async (graceMs = 10_000) => {
    await gateway.stop(graceMs);
    data.remove();
  };
  return { name, url: gateway.url, child: gateway.child, stop };
}

export async function otlpSinkStats(sink: BenchProcess): Promise<{ exports: number; bytes: number; spans: number; undecodable: number }> {
  return (await fetch(`${sink.url}/stats`)).json() as Promise<{ exports: number; bytes: number; spans: number; undecodable: number }>;
}
