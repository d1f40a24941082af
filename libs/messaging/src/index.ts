export { deadLetterMessage, type ConsumedMessage, type DeadLetter, type DeadLetterReason } from './dead-letter';
export { startBackgroundConsumer, type BackgroundConsumer, type BackgroundConsumerOptions } from './background-consumer';
export { CONSUMER_DEFAULTS, runConsumer, type ConsumerOptions, type RunningConsumer } from './consumer';
export { encodeEvent, InvalidEventError, newEvent, type NewEventFields } from './event';
export { contextFromHeaders, contextHeaders, DLQ_HEADERS, EVENT_HEADERS, eventHeaders, headersToStrings, REPLICATION_HEADERS, type RawHeaders } from './headers';
export { createKafka, ensureTopics, type EnsureTopicsOptions, type KafkaClientOptions } from './kafka';
export {
  backoffMs,
  processMessage,
  UnprocessableEventError,
  type EventHandler,
  type EventHandlers,
  type HandlerContext,
  type MessageOutcome,
  type MessageProcessorOptions,
  type RetryBackoff,
} from './message-processor';
export { enqueueEvent, ensureOutboxSchema, markSent, outboxBacklog, pruneSent, unsentEvents, type OutboxRow } from './outbox';
export {
  outboxPublisherEnv,
  startOutboxPublisher,
  type OutboxPublisher,
  type OutboxPublisherEnv,
  type OutboxPublisherOptions,
  type PublisherLogger,
} from './outbox-publisher';
export { OUTBOX_RELAY_DEFAULTS, OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
export { ensureProcessedEventsSchema, markProcessed, SqliteProcessedEvents, type ProcessedEvents } from './processed-events';
export { EventProducer, type EventProducerOptions, type EventSender, type OutgoingEvent } from './producer';
export { outboxPublisherProvider } from './outbox-publisher.provider';
