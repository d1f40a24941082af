import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTopics, type PublisherLogger } from '@keel/messaging';
import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Message, type Producer } from 'kafkajs';
import type { LinkHealth } from './link-health';
import { mirrorVerdict, type MirrorOutcome } from './mirror-filter';
import { countMirrored } from './replicator-metrics';

export interface MirrorWorkerOptions {
  /** The peer region's cluster, read as `groupId`. */
  source: Kafka;
  /** This region's cluster, where copies go. */
  target: Kafka;
  /** The peer region: only events that originated there are copied. */
  sourceRegion: string;
  /** `keel-replicator-<region>`: its committed offsets on the source are where a restart resumes. */
  groupId: string;
  topics: readonly string[];
  links: LinkHealth;
  logger: PublisherLogger;
  /** Waits between attempts while a broker is down: doubling from `initialMs` up to `maxMs`. */
  backoff: { initialMs: number; maxMs: number };
}

/** Thrown into a session's pending step when `stop()` is called: nothing more is started. */
class Stopping extends Error {}
/**
 * Bounds a fetched batch, so its copy fits one produce request under the broker's default 1 MiB
 * limit even with the header each copy gains (a single larger message still comes through).
 */
const MAX_BATCH_BYTES = 256 * 1024;
/** Failures are logged at most this often while a broker stays down. */
const LOG_EVERY_MS = 30_000;

/**
 * Copies the source region's events into this region's cluster, as MirrorMaker 2 does: a consumer
 * group on the source, a producer to the target, and each offset committed on the source only
 * once the target has acknowledged the copies before it (acks from all in-sync replicas). That is
 * at least once: a crash between the acknowledgement and the commit copies those messages again
 * on restart. Consumers deduplicate by event id, so a second copy is harmless; a lost one is not.
 *
 * It never gives up and never blocks start-up: a session (connect, subscribe, consume) runs in the
 * background; when a broker is unreachable or the consumer crashes, the session is torn down and
 * started again after a backoff, and `links` says which side is down and why.
 */
export class MirrorWorker {
  private readonly stopping = new AbortController();
  private readonly stopped = new Promise<void>((resolve) => this.stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
  private loop?: Promise<void>;
  private lastLog = 0;

  constructor(private readonly options: MirrorWorkerOptions) {}

  start(): void {
    this.loop ??= this.supervise();
  }

  /** Stops fetching, lets a batch in flight finish (its copies acknowledged, its offsets committed), disconnects. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async supervise(): Promise<void> {
    const { initialMs, maxMs } = this.options.backoff;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      const joined = await this.runSession();
      failures = joined ? 1 : failures + 1;
      const delay = Math.min(maxMs, initialMs * 2 ** (failures - 1));
      await this.pause(delay);
    }
  }

  /** One consumer and producer, from connecting until the consumer crashes or `stop()`; resolves whether the group was joined. */
  private async runSession(): Promise<boolean> {
    const { source, target, groupId, topics, links } = this.options;
    let joined = false;
    let producer: Producer | undefined;
    let consumer: Consumer | undefined;
    try {
      const sender = target.producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: 1 });
      producer = sender;
      await this.on('target', async () => {
        await ensureTopics(target, topics);
        await sender.connect();
      });
      links.up('target');
      // The source's topics too: the group can subscribe before the peer's services first publish.
      await this.on('source', () => ensureTopics(source, topics));

      const running = source.consumer({
        groupId,
        maxWaitTimeInMs: 1_000,
        maxBytesPerPartition: MAX_BATCH_BYTES,
        // A crash ends the session; this loop restarts it with its own backoff and a fresh client.
        retry: { restartOnFailure: async () => false },
      });
      consumer = running;
      running.on(running.events.GROUP_JOIN, () => {
        joined = true;
        links.up('source');
      });
      const crashed = new Promise<Error>((resolve) => running.on(running.events.CRASH, ({ payload }) => resolve(payload.error)));
      await this.on('source', async () => {
        await running.connect();
        await running.subscribe({ topics: [...topics], fromBeginning: true });
        await running.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.copyBatch(running, sender, payload) });
      });
      const ended = await Promise.race([crashed, this.stopped]);
      if (ended) {
        links.down('source', `consumer crashed: ${ended.message}`);
        this.warn({ err: ended }, 'replication consumer crashed; restarting it');
      }
    } catch {
      // Recorded on the link by on(); the loop retries after a backoff.
    } finally {
      await consumer?.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
    }
    return joined;
  }

  /** Copies one fetched batch (one partition of one topic), then commits past it. */
  private async copyBatch(consumer: Consumer, producer: Producer, payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, resolveOffset, isRunning, isStale } = payload;
    if (batch.isEmpty()) return;
    const copies: Message[] = [];
    const counts = new Map<MirrorOutcome, number>();
    for (const message of batch.messages) {
      const verdict = mirrorVerdict(message, this.options.sourceRegion);
      counts.set(verdict.outcome, (counts.get(verdict.outcome) ?? 0) + 1);
      if (verdict.outcome === 'copied') copies.push(verdict.copy);
      if (verdict.outcome === 'skipped-malformed') {
        this.options.logger.warn({ topic: batch.topic, partition: batch.partition, offset: message.offset, detail: verdict.detail }, 'skipping a malformed message (the source region dead-letters it)');
      }
    }
    if (copies.length > 0) await this.deliver(producer, batch.topic, copies, heartbeat);
    // A partition taken away meanwhile is not ours to commit: its new owner copies it again (at least once).
    if (!isRunning() || isStale()) return;
    const last = batch.lastOffset();
    await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
    resolveOffset(last);
    for (const [outcome, count] of counts) countMirrored(batch.topic, outcome, count);
    await heartbeat();
  }

  /**
   * Sends until the target acknowledges, holding the partition (and its order) meanwhile; the
   * group heartbeat keeps the source from reassigning it. Stopping abandons the batch uncommitted.
   */
  private async deliver(producer: Producer, topic: string, messages: Message[], heartbeat: () => Promise<void>): Promise<void> {
    const { links, backoff } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send({ topic, acks: -1, messages });
        links.up('target');
        return;
      } catch (error) {
        links.down('target', error);
        this.warn({ topic, attempt, err: error }, 'cannot write copies to this region; retrying');
        if (this.stopping.signal.aborted) throw error;
        await heartbeat();
        await this.pause(Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempt - 1)));
        if (this.stopping.signal.aborted) throw error;
      }
    }
  }

  /**
   * Runs one step of connecting to `link`; a failure marks the link down (with the reason) and is
   * rethrown. `stop()` does not wait for a step to finish: a broker that does not answer must not
   * hold up a shutdown.
   */
  private async on(link: 'source' | 'target', work: () => Promise<unknown>): Promise<void> {
    if (this.stopping.signal.aborted) throw new Stopping();
    const step = work();
    step.catch(() => undefined); // a late failure after stop() is not unhandled
    try {
      await Promise.race([step, this.stopped.then(() => Promise.reject(new Stopping()))]);
    } catch (error) {
      if (error instanceof Stopping) throw error;
      this.options.links.down(link, error);
      this.warn({ link, err: error }, `cannot reach the ${link} cluster; retrying`);
      throw error;
    }
  }

  private pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private warn(details: object, message: string): void {
    if (Date.now() - this.lastLog < LOG_EVERY_MS) return;
    this.lastLog = Date.now();
    this.options.logger.warn(details, message);
  }
}
