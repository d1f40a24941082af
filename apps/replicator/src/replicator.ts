import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createKafka } from '@keel/messaging';
import { Readiness, SERVICE_ENV } from '@keel/service-kit';
import { LagMonitor } from './mirror/lag-monitor';
import { LinkHealth } from './mirror/link-health';
import { MirrorWorker } from './mirror/mirror-worker';
import type { ReplicatorEnv } from './replicator.env';

/**
 * kafkajs retries per operation, kept short (~2 s on a refused connection instead of ~30 s): the
 * worker's own loop keeps trying, and readiness should say a broker is down soon after it is.
 */
const KAFKA_RETRY = { retries: 3, initialRetryTime: 300, maxRetryTime: 2_000 };

/** The consumer group on the source cluster; its committed offsets are the replicator's progress. */
export const replicatorGroup = (region: string) => `keel-replicator-${region}`;

/**
 * Mirrors the peer region's events into this region's cluster from bootstrap to shutdown. Start
 * never waits for a broker; `/health/ready` reports `source` and `target` with the reason when
 * either cluster cannot be reached.
 */
@Injectable()
export class Replicator implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Replicator');
  readonly links: LinkHealth;
  private readonly worker: MirrorWorker;
  private readonly lag: LagMonitor;

  constructor(
    @Inject(SERVICE_ENV) env: ReplicatorEnv,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    const clientId = `${env.KEEL_REGION}/${env.KEEL_INSTANCE ?? env.KEEL_SERVICE}`;
    const source = createKafka({ clientId, brokers: env.KEEL_PEER_KAFKA_BROKERS, logLevel: 'nothing', retry: KAFKA_RETRY });
    const target = createKafka({ clientId, brokers: env.KEEL_KAFKA_BROKERS, logLevel: 'nothing', retry: KAFKA_RETRY });
    const groupId = replicatorGroup(env.KEEL_REGION);
    const topics = env.KEEL_REPLICATED_TOPICS;
    this.links = new LinkHealth({
      source: `source ${env.KEEL_PEER_REGION} (${env.KEEL_PEER_KAFKA_BROKERS.join(',')})`,
      target: `target ${env.KEEL_REGION} (${env.KEEL_KAFKA_BROKERS.join(',')})`,
    });
    this.worker = new MirrorWorker({
      source,
      target,
      sourceRegion: env.KEEL_PEER_REGION,
      groupId,
      topics,
      links: this.links,
      logger: this.logger,
      backoff: { initialMs: 500, maxMs: env.KEEL_REPLICATOR_MAX_BACKOFF_MS },
    });
    this.lag = new LagMonitor({ source, target, groupId, topics, links: this.links, intervalMs: env.KEEL_REPLICATOR_LAG_INTERVAL_MS });
    this.logger.log({ from: env.KEEL_PEER_REGION, to: env.KEEL_REGION, topics, groupId }, 'replicating');
  }

  onModuleInit(): void {
    this.readiness.add('source', this.links.check('source'));
    this.readiness.add('target', this.links.check('target'));
  }

  onApplicationBootstrap(): void {
    this.worker.start();
    this.lag.start();
  }

  /** On SIGTERM: stop fetching, let the batch in flight be acknowledged and committed, disconnect. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.worker.stop(), this.lag.stop()]);
  }
}
