import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { EventEnvelope, KeelEvent } from '@keel/contracts';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { encodeEvent } from './event';
import { eventHeaders } from './headers';
import { countPublished } from './metrics';

/** One event to send, with the context it was produced in (trace parent, baggage). */
export interface OutgoingEvent {
  topic: string;
  event: KeelEvent | EventEnvelope;
  /** The active context by default. */
  context?: Context;
}

/** What the outbox relay needs from a producer: sending events that were validated when stored. */
export interface EventSender {
  sendEvents(items: readonly OutgoingEvent[]): Promise<void>;
}

export interface EventProducerOptions {
  /**
   * kafkajs's idempotent producer (off by default). It works against Kafka 3.9, but kafkajs marks
   * it experimental and, measured here, still gives up on a broker outage (~20 s of connection
   * retries) despite its "infinite" retries; its sequence numbers then no longer match what the
   * broker holds, and a different batch sent next can be refused as out of order. Duplicates are
   * already harmless (consumers dedupe on event id), so keel prefers at-least-once without it.
   */
  idempotent?: boolean;
}

const tracer = trace.getTracer('keel-messaging');

/**
 * Publishes keel events to Kafka: validated first (a bad event throws and nothing is sent), keyed
 * by `event.key` (per-key order), acknowledged by all in-sync replicas (`acks: -1`), one request
 * in flight per broker so a retried batch cannot overtake the one after it.
 */
export class EventProducer implements EventSender {
  private readonly producer: Producer;
  private connecting?: Promise<void>;

  constructor(kafka: Kafka, options: EventProducerOptions = {}) {
    this.producer = kafka.producer({
      // murmur2, as Java clients and Kafka tools partition: the same key lands on the same partition whoever sends it.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: options.idempotent ?? false,
      maxInFlightRequests: 1,
    });
  }

  connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async disconnect(): Promise<void> {
    this.connecting = undefined;
    await this.producer.disconnect();
  }

  /** Validates and publishes one event, with the trace and deadline of `ctx` in its headers. */
  publish(topic: string, event: KeelEvent | EventEnvelope, ctx: Context = context.active()): Promise<void> {
    return this.publishAll([{ topic, event, context: ctx }]);
  }

  /** Validates all of `items`, then publishes them in one request; one invalid event and none is sent. */
  async publishAll(items: readonly OutgoingEvent[]): Promise<void> {
    const values = items.map((item) => encodeEvent(item.topic, item.event));
    await this.send(items, values);
  }

  /** Publishes events that were validated when they were stored (the outbox), as they are. */
  async sendEvents(items: readonly OutgoingEvent[]): Promise<void> {
    await this.send(items, items.map((item) => JSON.stringify(item.event)));
  }

  /** Sends prepared messages, unvalidated: for the dead-letter topic, which keeps bytes as they came. */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.connect();
    await this.producer.send({ topic, acks: -1, messages });
  }

  private async send(items: readonly OutgoingEvent[], values: readonly string[]): Promise<void> {
    if (items.length === 0) return;
    await this.connect();
    const spans: Span[] = [];
    const byTopic = new Map<string, Message[]>();
    items.forEach((item, index) => {
      const parent = item.context ?? context.active();
      const span = tracer.startSpan(
        `send ${item.topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': item.topic,
            'messaging.message.id': item.event.id,
            'messaging.kafka.message.key': item.event.key,
          },
        },
        parent,
      );
      spans.push(span);
      const message: Message = { key: item.event.key, value: values[index], headers: eventHeaders(item.event, trace.setSpan(parent, span)) };
      const batch = byTopic.get(item.topic) ?? [];
      byTopic.set(item.topic, batch);
      batch.push(message);
    });
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      for (const [topic, messages] of byTopic) countPublished(topic, messages.length);
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }
}
