import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseSync } from 'node:sqlite';
import { runConsumer, type ConsumerOptions, type RunningConsumer } from './consumer';
import { createKafka, ensureTopics } from './kafka';
import type { OutboxPublisherEnv, PublisherLogger } from './outbox-publisher';
import { SqliteProcessedEvents } from './processed-events';

/** How long stop() waits for a join in flight before leaving it to finish and stop on its own. */
const STOP_WAIT_MS = 3_000;

export interface BackgroundConsumerOptions extends Pick<ConsumerOptions, 'groupId' | 'topics' | 'handlers' | 'maxAttempts' | 'backoff'> {
  logger: PublisherLogger;
  /** Wait between attempts to join while the broker is away. Default 5 s. */
  retryMs?: number;
}

export interface BackgroundConsumer {
  /** Resolves once the consumer has joined its group (never, while the broker is away). */
  readonly joined: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Consumes the region's Kafka into a service's SQLite database (deduplicated there), or does
 * nothing (one log line) when `KEEL_KAFKA_BROKERS` is unset. Like the outbox publisher it never
 * waits for the broker: it joins in the background and keeps trying while the broker is away,
 * so a broker outage delays what the consumer feeds (a read model, stock transfers) but never
 * start-up or readiness. Stop it before closing `db`.
 */
export function startBackgroundConsumer(db: DatabaseSync, env: OutboxPublisherEnv, options: BackgroundConsumerOptions): BackgroundConsumer {
  const brokers = (env.KEEL_KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const { logger } = options;
  let onJoined: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (onJoined = resolve));
  if (brokers.length === 0) {
    logger.log({ groupId: options.groupId }, 'KEEL_KAFKA_BROKERS is not set: no events are consumed');
    return { joined, stop: async () => undefined };
  }
  const kafka = createKafka({ clientId: `${env.KEEL_REGION}/${env.KEEL_INSTANCE ?? env.KEEL_SERVICE}/${options.groupId}`, brokers, logLevel: 'nothing' });
  const stopping = new AbortController();
  let consumer: RunningConsumer | undefined;

  const run = async () => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        await ensureTopics(kafka, options.topics);
        consumer = await runConsumer({ ...options, kafka, dedupe: new SqliteProcessedEvents(db) });
        if (stopping.signal.aborted) return;
        void consumer.joined.then(onJoined);
        logger.log({ groupId: options.groupId, topics: options.topics }, 'consuming events');
        return;
      } catch (error) {
        await consumer?.stop().catch(() => undefined);
        consumer = undefined;
        if (attempt % 10 === 1) logger.warn({ brokers, attempt, err: error }, 'cannot consume events yet; retrying in the background');
        await sleep(options.retryMs ?? 5_000, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };
  const running = run();

  return {
    joined,
    async stop() {
      stopping.abort();
      // A join in flight is given a moment to finish, so it can leave its group cleanly (a member that
      // vanishes without leaving holds its partitions until the session times out); then stopped.
      await Promise.race([running, sleep(STOP_WAIT_MS)]);
      await consumer?.stop().catch(() => undefined);
      void running.then(() => consumer?.stop().catch(() => undefined));
    },
  };
}
