import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';

type RebalanceEnv = Pick<
  CatalogEnv,
  'KEEL_REGION' | 'KEEL_PEER_REGION' | 'KEEL_KAFKA_BROKERS' | 'KEEL_CATALOG_REBALANCE_LOW_WATER' | 'KEEL_CATALOG_REBALANCE_BATCH' | 'KEEL_CATALOG_REBALANCE_REQUEST_TTL_MINUTES'
>;

/**
 * How this region's catalog rebalances stock with its peer, read once from the environment.
 * Rebalancing needs a broker (requests travel as events) and a peer to ask; without either,
 * `peer` is undefined and the catalog never asks (tests and local runs without Kafka).
 */
@Injectable()
export class RebalanceSettings {
  readonly region: string;
  /** The region asked for stock; undefined when this catalog does not rebalance. */
  readonly peer?: string;
  /** A reservation leaving fewer than this available asks the peer; also the floor a sender keeps. 0: never ask. */
  readonly lowWater: number;
  /** Units per transfer. */
  readonly batch: number;
  /** An unanswered request stops blocking a new one after this long (the peer may be down, or the event lost to a DLQ). */
  readonly requestTtlMs: number;

  constructor(@Inject(SERVICE_ENV) env: RebalanceEnv) {
    this.region = env.KEEL_REGION;
    const hasBroker = (env.KEEL_KAFKA_BROKERS ?? '').trim() !== '';
    if (hasBroker && env.KEEL_PEER_REGION && env.KEEL_PEER_REGION !== env.KEEL_REGION) this.peer = env.KEEL_PEER_REGION;
    this.lowWater = env.KEEL_CATALOG_REBALANCE_LOW_WATER;
    this.batch = env.KEEL_CATALOG_REBALANCE_BATCH;
    this.requestTtlMs = Math.round(env.KEEL_CATALOG_REBALANCE_REQUEST_TTL_MINUTES * 60_000);
  }

  /** Whether a low reservation makes this catalog ask its peer for units. */
  get asksForStock(): boolean {
    return this.peer !== undefined && this.lowWater > 0;
  }
}
