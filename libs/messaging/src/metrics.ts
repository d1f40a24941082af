import { metrics, type Counter } from '@opentelemetry/api';

/**
 * Messaging metrics on the `keel` meter (served on every service's /metrics). Instruments are
 * made on first use, not at import: a meter taken before `startTelemetry()` registers the SDK
 * would be a no-op one for good.
 */
interface MessagingInstruments {
  published: Counter;
  consumed: Counter;
  deadLettered: Counter;
  relayFailures: Counter;
}

let instruments: MessagingInstruments | undefined;

function get(): MessagingInstruments {
  if (instruments) return instruments;
  const meter = metrics.getMeter('keel');
  instruments = {
    published: meter.createCounter('keel.messaging.published', { description: 'Events published to Kafka (acknowledged by all in-sync replicas), by topic.' }),
    consumed: meter.createCounter('keel.messaging.consumed', { description: 'Messages consumed, by topic and outcome (handled, duplicate, ignored, dead-lettered).' }),
    deadLettered: meter.createCounter('keel.messaging.dead_lettered', { description: 'Messages moved to a dead-letter topic, by original topic and reason.' }),
    relayFailures: meter.createCounter('keel.outbox.relay_failures', { description: 'Outbox relay rounds that failed to publish (the events stay in the outbox and are retried).' }),
  };
  return instruments;
}

export function countPublished(topic: string, count = 1): void {
  get().published.add(count, { topic });
}

export function countConsumed(topic: string, outcome: string): void {
  get().consumed.add(1, { topic, outcome });
}

export function countDeadLettered(topic: string, reason: string): void {
  get().deadLettered.add(1, { topic, reason });
}

export function countRelayFailure(outbox: string): void {
  get().relayFailures.add(1, { outbox });
}
