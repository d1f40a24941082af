import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { dependencyPolicy } from './dependency-policy';
import { ManualClock, settle } from './testing/manual-clock';

/** Collects on demand: nothing to flush or shut down. */
class TestReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** Every data point as "name{attributes} value", for readable assertions. */
async function scrape(reader: TestReader): Promise<string[]> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .flatMap((metric: MetricData) =>
      metric.dataPoints.map((point) => {
        const labels = Object.entries(point.attributes)
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(',');
        return `${metric.descriptor.name}{${labels}} ${String(point.value)}`;
      }),
    )
    .sort();
}

const status = (code: number) => Object.assign(new Error(`status ${code}`), { status: code });

describe('policy metrics', () => {
  it('exports breaker, bulkhead, retry, budget and timeout figures labelled by dependency', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const clock = new ManualClock();
    const policy = dependencyPolicy('catalog', {
      meter: provider.getMeter('keel'),
      clock,
      timeout: { timeoutMs: 100 },
      budget: { ratio: 0, minRetriesPerSecond: 0.1 }, // one retry in the 10 s window
      breaker: { consecutiveFailures: 3 },
      bulkhead: { maxConcurrent: 1, maxQueued: 0 },
    });
    const failing = policy.execute(() => Promise.reject(status(503)), { idempotent: true }).catch((e: unknown) => e);
    const rejected = policy.execute(async () => 'x', { idempotent: true }).catch((e: unknown) => e);
    await expect(rejected).resolves.toMatchObject({ reason: 'full' });
    await clock.advance(1_000);
    await expect(failing).resolves.toMatchObject({ status: 503 }); // attempt 2 failed, budget spent
    const hanging = policy.execute(() => new Promise(() => undefined), { idempotent: false }).catch((e: unknown) => e);
    await clock.advance(100);
    await hanging;
    await settle();
    expect(policy.state.breaker).toBe('open');
    expect(await scrape(reader)).toEqual([
      'keel.resilience.breaker.state{dependency=catalog} 2',
      'keel.resilience.breaker.transitions{dependency=catalog,to=open} 1',
      'keel.resilience.bulkhead.in_use{dependency=catalog} 0',
      'keel.resilience.bulkhead.queued{dependency=catalog} 0',
      'keel.resilience.bulkhead.rejections{dependency=catalog,reason=full} 1',
      'keel.resilience.retries{dependency=catalog} 1',
      'keel.resilience.retry_budget.exhausted{dependency=catalog} 1',
      'keel.resilience.timeouts{dependency=catalog,cause=timeout} 1',
    ]);
    policy.dispose(); // detached: the next transitions are not counted
    await clock.advance(5_000);
    await policy.execute(() => Promise.reject(status(503)), { idempotent: false }).catch(() => undefined);
    const after = await scrape(reader);
    expect(after).toContain('keel.resilience.breaker.transitions{dependency=catalog,to=open} 1');
    expect(after.some((line) => line.includes('to=half-open'))).toBe(false);
    await provider.shutdown();
  });
});
