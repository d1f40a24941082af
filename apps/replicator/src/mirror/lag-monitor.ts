import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
import type { LinkHealth } from './link-health';
import { observeLag } from './replicator-metrics';

export interface LagMonitorOptions {
  source: Kafka;
  target: Kafka;
  groupId: string;
  topics: readonly string[];
  links: LinkHealth;
  intervalMs: number;
}

/**
 * Samples `keel_replicator_lag` every `intervalMs`: per topic, the source partitions' high
 * watermarks minus the group's committed offsets (the low watermark where nothing is committed
 * yet). One offsets request per topic and one for the group: cheap enough to run every few
 * seconds. Scrapes read the last sample; while the source cannot be asked there is none (an
 * absent series, not a stale number). Each round also asks the target cluster for its metadata,
 * so an idle replicator still notices its own region's broker going away.
 */
export class LagMonitor {
  private readonly stopping = new AbortController();
  private lag = new Map<string, number>();
  private loop?: Promise<void>;
  private stopObserving?: () => void;

  constructor(private readonly options: LagMonitorOptions) {}

  start(): void {
    if (this.loop) return;
    this.stopObserving = observeLag(() => this.lag);
    this.loop = this.run();
  }

  /** A sample in flight against a dead broker is not waited for past a second: shutdown stays prompt. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.stopObserving?.();
    await Promise.race([this.loop, sleep(1_000)]);
  }

  /** The last sample, by topic. */
  current(): ReadonlyMap<string, number> {
    return this.lag;
  }

  private async run(): Promise<void> {
    const sourceAdmin = this.options.source.admin();
    const targetAdmin = this.options.target.admin();
    while (!this.stopping.signal.aborted) {
      await Promise.all([this.sampleLag(sourceAdmin), this.probeTarget(targetAdmin)]);
      await sleep(this.options.intervalMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
    await Promise.all([sourceAdmin.disconnect(), targetAdmin.disconnect()]).catch(() => undefined);
  }

  private async sampleLag(admin: Admin): Promise<void> {
    const { groupId, topics } = this.options;
    try {
      await admin.connect();
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      const next = new Map<string, number>();
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const done = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        let lag = 0;
        for (const end of ends) {
          const from = done.get(end.partition) ?? -1;
          lag += Math.max(0, Number(end.high) - (from >= 0 ? from : Number(end.low)));
        }
        next.set(topic, lag);
      }
      this.lag = next;
    } catch {
      this.lag = new Map();
    }
  }

  private async probeTarget(admin: Admin): Promise<void> {
    try {
      await admin.connect();
      await admin.describeCluster();
      // Only a recovery is news here; a failing send is the better witness of an outage.
      if (!this.options.links.isUp('target')) this.options.links.up('target');
    } catch (error) {
      this.options.links.down('target', error);
    }
  }
}
