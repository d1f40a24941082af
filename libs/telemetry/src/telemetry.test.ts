import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { identityFromEnv, servedBy } from './identity';
import { startTelemetry, traceLogFields } from './sdk';

describe('service identity', () => {
  it('names the region, instance and version that answered', () => {
    const id = identityFromEnv({ KEEL_SERVICE: 'payment-provider', KEEL_INSTANCE: 'provider-a', KEEL_REGION: 'global', KEEL_VERSION: '1.2.3' });
    expect(servedBy(id)).toBe('global/provider-a@1.2.3');
  });

  it('reports an extra instance as the service it stands for', () => {
    const id = identityFromEnv({ KEEL_SERVICE: 'catalog', KEEL_INSTANCE: 'catalog~canary', KEEL_REGION: 'us-east', KEEL_VERSION: '1.1.0' });
    expect(servedBy(id)).toBe('us-east/catalog@1.1.0');
  });
});

describe('telemetry', () => {
  const telemetry = startTelemetry({ service: 'test', instance: 'test', region: 'test', version: '0' });

  it('gives log lines the active trace and span ids even with no exporter configured', () => {
    expect(traceLogFields()).toEqual({});
    trace.getTracer('test').startActiveSpan('work', (span) => {
      const fields = traceLogFields();
      expect(fields.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(fields.trace_id).not.toBe('0'.repeat(32));
      expect(fields.span_id).toBe(span.spanContext().spanId);
      span.end();
    });
  });

  it('serves recorded metrics as Prometheus text', async () => {
    telemetry.meter.createCounter('keel.test.events').add(3, { kind: 'demo' });
    const text = await telemetry.metricsText();
    expect(text).toMatch(/keel_test_events(_total)?\{[^}]*kind="demo"[^}]*\} 3/);
  });
});
