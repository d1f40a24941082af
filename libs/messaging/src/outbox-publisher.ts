import type { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createKafka, ensureTopics } from './kafka';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { EventProducer } from './producer';

/**
 * The variables a service with an outbox reads; spread into the app's env shape. The stack sets
 * `KEEL_KAFKA_BROKERS` to the region's broker; unset, events stay in the outbox (local runs, tests).
 */
export const outboxPublisherEnv = {
  /** Comma-separated `host:port` of this region's Kafka brokers. */
  KEEL_KAFKA_BROKERS: z.string().trim().optional(),
} satisfies z.ZodRawShape;

/** The service's identity and broker list, as `SERVICE_ENV` carries them. */
export interface OutboxPublisherEnv {
  KEEL_SERVICE: string;
  KEEL_REGION: string;
  KEEL_INSTANCE?: string;
  KEEL_KAFKA_BROKERS?: string;
}

/** Nest's `Logger` fits (nestjs-pino logs the object as fields). */
export interface PublisherLogger {
  log(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface OutboxPublisherOptions {
  /** The topics this service publishes to; created (with their dead-letter topics) before the first publish. */
  topics: readonly string[];
  logger: PublisherLogger;
  /** Bound on one attempt at creating the topics. Default 10 s. */
  topicsTimeoutMs?: number;
  /** Wait between attempts at creating the topics while the broker is away. Default 5 s. */
  topicsRetryMs?: number;
  relay?: OutboxRelayOptions;
}

export interface OutboxPublisher {
  /** Stops creating topics and relaying, and disconnects; the outbox keeps what was not sent yet. */
  stop(): Promise<void>;
}

/** Relay failures are logged at most this often: a broker outage should not flood the log. */
const FAILURE_LOG_EVERY_MS = 30_000;

/**
 * Publishes a service's outbox to its region's Kafka, or does nothing (one log line) when
 * `KEEL_KAFKA_BROKERS` is unset. It never waits for the broker: topics are created and the relay
 * started in the background, retried until the broker answers, so an outage delays events (they
 * wait in the outbox) but never start-up or readiness. Stop it before closing `db`.
 */
export function startOutboxPublisher(db: DatabaseSync, env: OutboxPublisherEnv, options: OutboxPublisherOptions): OutboxPublisher {
  const brokers = (env.KEEL_KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const { logger } = options;
  if (brokers.length === 0) {
    logger.log({}, 'KEEL_KAFKA_BROKERS is not set: events stay in the outbox, no relay runs');
    return { stop: async () => undefined };
  }
  const clientId = `${env.KEEL_REGION}/${env.KEEL_INSTANCE ?? env.KEEL_SERVICE}`;
  const kafka = createKafka({ clientId, brokers, logLevel: 'nothing' });
  const producer = new EventProducer(kafka);
  let lastFailureLog = 0;
  const relay = new OutboxRelay(db, producer, {
    ...options.relay,
    onError: (error) => {
      if (Date.now() - lastFailureLog < FAILURE_LOG_EVERY_MS) return;
      lastFailureLog = Date.now();
      logger.warn({ brokers, err: error }, 'outbox relay cannot publish; events wait in the outbox');
    },
  });
  const stopping = new AbortController();

  const run = async () => {
    const timeoutMs = options.topicsTimeoutMs ?? 10_000;
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        await withTimeout(ensureTopics(kafka, options.topics), timeoutMs, `creating topics took over ${timeoutMs} ms`);
        break;
      } catch (error) {
        // First failure and then every tenth: enough to see the outage without flooding.
        if (attempt % 10 === 1) logger.warn({ brokers, attempt, err: error }, 'cannot create topics yet; retrying in the background');
        await sleep(options.topicsRetryMs ?? 5_000, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
    if (stopping.signal.aborted) return;
    relay.start();
    logger.log({ brokers, topics: options.topics }, 'outbox relay started');
  };
  const running = run();

  return {
    async stop() {
      stopping.abort();
      // A topic attempt in flight is not awaited: it is bounded but may be long, and a stop must be prompt.
      await Promise.race([running, sleep(100)]);
      await relay.stop();
      await producer.disconnect().catch(() => undefined);
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  work.catch(() => undefined); // a late failure after the timeout is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
