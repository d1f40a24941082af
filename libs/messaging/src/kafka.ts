import { deadLetterTopic } from '@keel/contracts';
import { Kafka, logLevel as KafkaLogLevel, type RetryOptions } from 'kafkajs';
import { applyKafkajsIdleFix } from './kafkajs-idle-fix';

export interface KafkaClientOptions {
  /** Names this process to the broker (logs, quotas): the service instance, e.g. `us-east/checkout`. */
  clientId: string;
  /** `host:port` of one or more brokers of one region's cluster. */
  brokers: string[];
  /** kafkajs's own logging; WARN by default (INFO logs every group join). */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** Time to open a connection; kafkajs's 1 s is short for a broker that has just started. */
  connectionTimeoutMs?: number;
  /**
   * kafkajs's retries for every client made from this one (admin, producer, consumer); its
   * defaults retry an unreachable broker for ~30 s before an operation fails. A caller that runs
   * its own retry loop (and reports the outage meanwhile) wants them short.
   */
  retry?: RetryOptions;
}

const LEVELS = { nothing: KafkaLogLevel.NOTHING, error: KafkaLogLevel.ERROR, warn: KafkaLogLevel.WARN, info: KafkaLogLevel.INFO, debug: KafkaLogLevel.DEBUG };

/**
 * A kafkajs client for one cluster; producers, consumers and admin connections are made from it.
 * Make clients here rather than with `new Kafka()`: this also stops kafkajs's idle timer spin.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  applyKafkajsIdleFix();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: LEVELS[options.logLevel ?? 'warn'],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    ...(options.retry ? { retry: options.retry } : {}),
  });
}

export interface EnsureTopicsOptions {
  /** Partitions per topic: the most consumers of one group that can share its work. */
  partitions?: number;
  /** 1 on the single-broker clusters of the local stack. */
  replicationFactor?: number;
}

/**
 * Creates `topics` and their dead-letter topics where missing. Consumers and producers should
 * not rely on the broker's auto-creation: it picks the broker's default partition count, and a
 * consumer subscribed before the topic exists waits a metadata refresh to see it.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], options: EnsureTopicsOptions = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics.flatMap((topic) => (topic.endsWith('.dlq') ? [topic] : [topic, deadLetterTopic(topic)])))].filter((topic) => !existing.has(topic));
    if (wanted.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: options.replicationFactor ?? 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}
