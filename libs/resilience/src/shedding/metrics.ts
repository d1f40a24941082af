import { metrics, type Counter } from '@opentelemetry/api';
import type { CriticalityTier as Tier } from '../criticality';
import type { LoadShedder } from './load-shedder';
import type { LoadReadings } from './load-signals';

let shed: Counter | undefined;

/** Counts a refused request by its priority (criticality tier) and the signal that refused it. */
export function countShed(tier: Tier, signal: string): void {
  shed ??= metrics.getMeter('keel').createCounter('keel.shed.requests', {
    description: 'Requests refused by the load shedder, by priority (criticality tier)',
  });
  shed.add(1, { priority: `tier-${tier}`, signal });
}

/** Exports the shedder's inputs (and what it refuses) as gauges, so a dashboard shows why it shed. Returns an unregister. */
export function observeLoad(readings: LoadReadings, shedder?: LoadShedder): () => void {
  const meter = metrics.getMeter('keel');
  const inFlight = meter.createObservableGauge('keel.load.in_flight', { description: 'Requests in flight on this instance' });
  const delay = meter.createObservableGauge('keel.load.event_loop_delay', { description: 'p99 event-loop delay, last window', unit: 'ms' });
  const queue = meter.createObservableGauge('keel.load.queue_time', { description: 'Longest arrival-to-handler wait, last window', unit: 'ms' });
  const utilization = meter.createObservableGauge('keel.load.utilization', { description: 'CPU used by this process as a share of one core (0-1), smoothed over ~1 s' });
  const refused = meter.createObservableGauge('keel.shed.refused_share', { description: 'Share of each priority refused for utilization (0-1)' });
  const gauges = [inFlight, delay, queue, utilization, refused];
  const callback = meter.addBatchObservableCallback.bind(meter);
  const observe = (result: Parameters<Parameters<typeof callback>[0]>[0]) => {
    result.observe(inFlight, readings.inFlight);
    result.observe(delay, readings.eventLoopDelayMs);
    result.observe(queue, readings.queueTimeMs);
    result.observe(utilization, readings.utilization);
    if (shedder) for (const tier of [1, 2, 3] as Tier[]) result.observe(refused, shedder.shareRefused(tier), { priority: `tier-${tier}` });
  };
  callback(observe, gauges);
  return () => meter.removeBatchObservableCallback(observe, gauges);
}
