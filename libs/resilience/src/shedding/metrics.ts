import { metrics, type Counter } from '@opentelemetry/api';
import type { CriticalityTier } from '../criticality';
import type { LoadReadings } from './load-signals';

let shed: Counter | undefined;

/** Counts a refused request by its priority (criticality tier) and the signal that refused it. */
export function countShed(tier: CriticalityTier, signal: string): void {
  shed ??= metrics.getMeter('keel').createCounter('keel.shed.requests', {
    description: 'Requests refused by the load shedder, by priority (criticality tier)',
  });
  shed.add(1, { priority: `tier-${tier}`, signal });
}

/** Exports the shedder's inputs as gauges, so a dashboard shows why it shed. Returns an unregister. */
export function observeLoad(readings: LoadReadings): () => void {
  const meter = metrics.getMeter('keel');
  const inFlight = meter.createObservableGauge('keel.load.in_flight', { description: 'Requests in flight on this instance' });
  const delay = meter.createObservableGauge('keel.load.event_loop_delay', { description: 'p99 event-loop delay, last window', unit: 'ms' });
  const queue = meter.createObservableGauge('keel.load.queue_time', { description: 'Longest arrival-to-handler wait, last window', unit: 'ms' });
  const callback = meter.addBatchObservableCallback.bind(meter);
  const observe = (result: Parameters<Parameters<typeof callback>[0]>[0]) => {
    result.observe(inFlight, readings.inFlight);
    result.observe(delay, readings.eventLoopDelayMs);
    result.observe(queue, readings.queueTimeMs);
  };
  callback(observe, [inFlight, delay, queue]);
  return () => meter.removeBatchObservableCallback(observe, [inFlight, delay, queue]);
}
