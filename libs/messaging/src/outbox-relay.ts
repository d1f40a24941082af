import type { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics, propagation, ROOT_CONTEXT, type ObservableCallback, type ObservableGauge } from '@opentelemetry/api';
import { countRelayFailure } from './metrics';
import { markSent, outboxBacklog, pruneSent, unsentEvents } from './outbox';
import type { EventSender } from './producer';

export interface OutboxRelayOptions {
  /** Poll interval while the outbox is empty. Default 100 ms: an event waits at most that long. */
  intervalMs?: number;
  /** Events per publish request. Default 100; a full batch is followed at once by the next. */
  batchSize?: number;
  /** Ceiling of the backoff after failed publishes (broker down). Default 5 s. */
  maxBackoffMs?: number;
  /** How long published rows are kept for debugging before they are deleted. Default 1 h. */
  retentionMs?: number;
  /** Told about every failed round (each is also counted in `keel.outbox.relay_failures`); the relay keeps going. */
  onError?: (error: unknown) => void;
  /** The `outbox` attribute on the backlog gauge, when one process has several. Default `outbox`. */
  name?: string;
}

export const OUTBOX_RELAY_DEFAULTS = { intervalMs: 100, batchSize: 100, maxBackoffMs: 5_000, retentionMs: 3_600_000 } as const;

/** Pruning scans the table; once a minute is plenty. */
const PRUNE_EVERY_MS = 60_000;

/**
 * Publishes what `enqueueEvent` stored, oldest first, and marks it sent once the broker has
 * acknowledged it. At least once: if the process dies between the acknowledgement and the mark,
 * the next relay publishes those events again, and consumers drop them by event id. Never lost:
 * a row is only marked after its publish succeeded. Run one relay per database (two would both
 * publish the same rows: harmless, but wasteful and out of order), and stop it before closing
 * the database.
 */
export class OutboxRelay {
  private readonly options: Required<Omit<OutboxRelayOptions, 'onError'>> & Pick<OutboxRelayOptions, 'onError'>;
  private stopping = new AbortController();
  private loop?: Promise<void>;
  private round?: Promise<number>;
  private lastPrune = 0;
  private gauge?: ObservableGauge;
  private readonly observeBacklog: ObservableCallback = (result) => result.observe(outboxBacklog(this.db), { outbox: this.options.name });

  constructor(
    private readonly db: DatabaseSync,
    private readonly sender: EventSender,
    options: OutboxRelayOptions = {},
  ) {
    this.options = { ...OUTBOX_RELAY_DEFAULTS, name: 'outbox', ...options };
  }

  /** Starts polling in the background; `stop()` ends it. */
  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.gauge = metrics.getMeter('keel').createObservableGauge('keel.outbox.backlog', { description: 'Events committed to the outbox and not yet published.' });
    this.gauge.addCallback(this.observeBacklog);
    this.loop = this.run();
  }

  /** Stops polling; waits for a publish in progress (bounded by the producer's retries). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.gauge?.removeCallback(this.observeBacklog);
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Publishes one batch and marks it sent; resolves with how many. A call made while a round is
   * in progress joins it rather than publishing the same rows a second time.
   */
  relayOnce(): Promise<number> {
    this.round ??= this.publishBatch().finally(() => (this.round = undefined));
    return this.round;
  }

  private async publishBatch(): Promise<number> {
    const rows = unsentEvents(this.db, this.options.batchSize);
    if (rows.length === 0) return 0;
    // Each event continues the trace of the request that committed it, not the relay's.
    await this.sender.sendEvents(rows.map((row) => ({ topic: row.topic, event: row.event, context: propagation.extract(ROOT_CONTEXT, row.traceHeaders) })));
    markSent(this.db, rows.map((row) => row.seq));
    return rows.length;
  }

  private async run(): Promise<void> {
    const { intervalMs, batchSize, maxBackoffMs } = this.options;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let delay = intervalMs;
      try {
        const sent = await this.relayOnce();
        failures = 0;
        if (sent === batchSize) delay = 0;
        this.pruneWhenDue();
      } catch (error) {
        failures += 1;
        delay = Math.min(maxBackoffMs, intervalMs * 2 ** failures);
        countRelayFailure(this.options.name);
        this.options.onError?.(error);
      }
      await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }

  private pruneWhenDue(now = Date.now()): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    pruneSent(this.db, this.options.retentionMs, now);
  }
}
