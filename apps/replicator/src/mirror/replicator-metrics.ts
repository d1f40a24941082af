import { metrics, type Counter, type ObservableCallback, type ObservableGauge } from '@opentelemetry/api';
import type { MirrorOutcome } from './mirror-filter';

/**
 * The replicator's instruments on the `keel` meter, made on first use (a meter taken before the
 * SDK starts would be a no-op one for good), shared by every replicator in the process.
 * Prometheus names: `keel_replicator_messages_total{topic,outcome}`, `keel_replicator_lag{topic}`.
 */
let instruments: { messages: Counter; lag: ObservableGauge } | undefined;

function get(): { messages: Counter; lag: ObservableGauge } {
  if (instruments) return instruments;
  const meter = metrics.getMeter('keel');
  instruments = {
    messages: meter.createCounter('keel.replicator.messages', {
      description: 'Source messages the replicator has dealt with, by topic and outcome (copied, skipped-own, skipped-malformed).',
    }),
    lag: meter.createObservableGauge('keel.replicator.lag', {
      description: "Messages in the source region's topic not yet copied (high watermark minus the replicator's committed offset), sampled.",
    }),
  };
  return instruments;
}

export function countMirrored(topic: string, outcome: MirrorOutcome, count = 1): void {
  if (count > 0) get().messages.add(count, { topic, outcome });
}

/** Reports `lag()` (per topic) at every scrape; returns the function that stops it. */
export function observeLag(lag: () => ReadonlyMap<string, number>): () => void {
  const callback: ObservableCallback = (result) => {
    for (const [topic, value] of lag()) result.observe(value, { topic });
  };
  const gauge = get().lag;
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
