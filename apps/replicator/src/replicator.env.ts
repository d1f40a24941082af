import { z } from 'zod';
import { TOPICS } from '@keel/contracts';
import { InvalidEnvironmentError, type BaseEnv } from '@keel/service-kit';

const list = (what: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .refine((items) => items.length > 0, `at least one ${what}, comma-separated`);
const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * Notifications are not mirrored: the region that made one sends it, once. Everything an order's
 * read model needs in the other region is.
 */
export const DEFAULT_REPLICATED_TOPICS: string[] = [TOPICS.orders.name, TOPICS.stock.name, TOPICS.catalog.name, TOPICS.payments.name, TOPICS.shipping.name];

/**
 * The replicator runs next to its TARGET cluster (this region's) and pulls from the SOURCE (the
 * peer region's), as MirrorMaker 2 is deployed. No broker defaults: a wrong guess would mirror a
 * region into itself.
 */
export const replicatorEnv = {
  /** This region's brokers: where copies are written. */
  KEEL_KAFKA_BROKERS: list('host:port'),
  /** The peer region's brokers: where events are read from. */
  KEEL_PEER_KAFKA_BROKERS: list('host:port'),
  /** The peer region's name: only events whose origin is this region are copied. */
  KEEL_PEER_REGION: z.string().min(1),
  /** The same topic names on both sides. */
  KEEL_REPLICATED_TOPICS: list('topic').default(DEFAULT_REPLICATED_TOPICS),
  /** How often `keel_replicator_lag` is sampled (and the target broker probed). */
  KEEL_REPLICATOR_LAG_INTERVAL_MS: ms(5_000),
  /** Ceiling of the backoff between attempts to reach a broker that is down. */
  KEEL_REPLICATOR_MAX_BACKOFF_MS: ms(10_000),
};

export type ReplicatorEnv = BaseEnv & z.infer<z.ZodObject<typeof replicatorEnv>>;

/** A replicator whose source is its own region would copy every event into the topic it came from, forever. */
export function checkReplicatorEnv(env: ReplicatorEnv): void {
  if (env.KEEL_PEER_REGION === env.KEEL_REGION) {
    throw new InvalidEnvironmentError(`invalid environment:\n  KEEL_PEER_REGION: must differ from KEEL_REGION (${env.KEEL_REGION})`);
  }
  const target = new Set(env.KEEL_KAFKA_BROKERS);
  if (env.KEEL_PEER_KAFKA_BROKERS.some((broker) => target.has(broker))) {
    throw new InvalidEnvironmentError(`invalid environment:\n  KEEL_PEER_KAFKA_BROKERS: must name the peer region's cluster, not this region's (${env.KEEL_KAFKA_BROKERS.join(',')})`);
  }
}
