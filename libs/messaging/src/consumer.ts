import { setTimeout as sleep } from 'node:timers/promises';
import { deadLetterTopic } from '@keel/contracts';
import type { Kafka } from 'kafkajs';
import { deadLetterMessage } from './dead-letter';
import { processMessage, type EventHandlers, type MessageProcessorOptions, type RetryBackoff } from './message-processor';
import { countConsumed, countDeadLettered } from './metrics';
import type { ProcessedEvents } from './processed-events';
import { EventProducer } from './producer';

export interface ConsumerOptions {
  kafka: Kafka;
  /** The consumer group: instances of one service share its partitions; dedupe records are kept per group. */
  groupId: string;
  topics: readonly string[];
  handlers: EventHandlers;
  dedupe: ProcessedEvents;
  /** Handler attempts before the message goes to `<topic>.dlq`. Default 5. */
  maxAttempts?: number;
  /** Waits between attempts: 200 ms doubling, at most 10 s (5 attempts block a partition ~3 s). */
  backoff?: Partial<RetryBackoff>;
  /**
   * Where a group with no committed offset starts. The earliest retained message by default, so
   * events published before a service first started (or while its group was new) are not missed;
   * dedupe makes re-reading harmless.
   */
  fromBeginning?: boolean;
  /** Sends dead letters; one is made from `kafka` (and closed on stop) when absent. */
  producer?: EventProducer;
  /**
   * Partitions worked on at once; each partition stays strictly in order. Default 1, which also
   * means a message between retries holds up this member's other partitions for its backoff.
   */
  partitionsConsumedConcurrently?: number;
}

export interface RunningConsumer {
  /** Resolves when this member has joined its group and been given partitions. */
  readonly joined: Promise<void>;
  /**
   * Leaves the group. A message waiting between attempts is abandoned uncommitted (it will be
   * delivered again); one whose handler is running is awaited.
   */
  stop(): Promise<void>;
}

export const CONSUMER_DEFAULTS = { maxAttempts: 5, backoff: { initialMs: 200, maxMs: 10_000 } } as const;

/**
 * Consumes `topics` as `groupId` and hands each keel event to its handler (see `processMessage`
 * for what happens to one message). Offsets are committed by kafkajs after each fetched batch,
 * that is after every message in it was handled or dead-lettered: a crash in between means a
 * redelivery, which the dedupe store absorbs.
 */
export async function runConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const { kafka, groupId } = options;
  const stopping = new AbortController();
  const producer = options.producer ?? new EventProducer(kafka);
  const ownsProducer = options.producer === undefined;
  const processor: MessageProcessorOptions = {
    consumerGroup: groupId,
    handlers: options.handlers,
    dedupe: options.dedupe,
    maxAttempts: Math.max(1, options.maxAttempts ?? CONSUMER_DEFAULTS.maxAttempts),
    backoff: { ...CONSUMER_DEFAULTS.backoff, ...options.backoff },
    async deadLetter(message, letter) {
      await producer.sendRaw(deadLetterTopic(message.topic), [deadLetterMessage(message, letter)]);
      countDeadLettered(message.topic, letter.reason);
    },
    sleep: (ms) => sleep(ms, undefined, { signal: stopping.signal }),
  };

  // A fetch returns as soon as there is data; the long-poll ceiling only bounds how long stop()
  // waits for an idle fetch in flight (kafkajs's 5 s default would slow every shutdown).
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 1_000 });
  let onJoin: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (onJoin = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => onJoin());

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachMessage: async ({ topic, partition, message, heartbeat }) => {
      const consumed = { topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} };
      countConsumed(topic, await processMessage(consumed, processor, heartbeat));
    },
  });

  return {
    joined,
    async stop() {
      stopping.abort();
      await consumer.disconnect();
      if (ownsProducer) await producer.disconnect();
    },
  };
}
