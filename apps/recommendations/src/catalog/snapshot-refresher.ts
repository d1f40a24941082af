import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Readiness, SERVICE_ENV } from '@keel/service-kit';
import type { RecommendationsEnv } from '../recommendations.env';
import { retryDelay } from './backoff';
import { CatalogClient } from './catalog-client';
import { CatalogSnapshot } from './catalog-snapshot';

const FIRST_RETRY_MS = 200;

/**
 * Keeps the catalog snapshot fresh: loads it in the background at start-up, then every
 * KEEL_RECOMMENDATIONS_REFRESH_MS. A failed load is retried with bounded, jittered backoff and
 * never crashes the process. The instance is ready once a snapshot has loaded at least once; after
 * that a catalog outage leaves it serving the last good snapshot.
 */
@Injectable()
export class SnapshotRefresher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SnapshotRefresher.name);
  private timer?: NodeJS.Timeout;
  private inFlight?: AbortController;
  private stopped = false;
  /** Consecutive failed loads; drives the backoff, reset by a success. */
  private failures = 0;

  constructor(
    private readonly client: CatalogClient,
    private readonly snapshot: CatalogSnapshot,
    readiness: Readiness,
    @Inject(SERVICE_ENV) private readonly env: RecommendationsEnv,
  ) {
    readiness.add('catalog-snapshot', () => {
      if (!this.snapshot.loaded) throw new Error(`catalog snapshot not loaded yet (${this.failures} failed attempts)`);
    });
  }

  /** Not awaited: start-up must not wait for (or fail on) the catalog. */
  onApplicationBootstrap(): void {
    void this.refresh();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.inFlight?.abort();
  }

  /** One load attempt, then the next one scheduled. Never rejects; a call while one runs is a no-op. */
  async refresh(): Promise<void> {
    if (this.stopped || this.inFlight) return;
    clearTimeout(this.timer);
    this.inFlight = new AbortController();
    let nextInMs: number;
    try {
      const products = await this.client.fetchAllProducts(this.inFlight.signal);
      if (this.stopped) return;
      const first = !this.snapshot.loaded;
      this.snapshot.replace(products);
      if (first || this.failures > 0) this.logger.log(`catalog snapshot loaded: ${products.length} products`);
      this.failures = 0;
      nextInMs = this.env.KEEL_RECOMMENDATIONS_REFRESH_MS;
    } catch (error) {
      if (this.stopped) return;
      this.failures++;
      nextInMs = Math.min(this.env.KEEL_RECOMMENDATIONS_REFRESH_MS, retryDelay(this.failures, { initialMs: FIRST_RETRY_MS, maxMs: this.env.KEEL_RECOMMENDATIONS_RETRY_MAX_MS }));
      const state = this.snapshot.loaded ? 'serving the last good snapshot' : 'not ready until it loads';
      this.logger.warn(`catalog snapshot load failed (attempt ${this.failures}, ${state}); retrying in ${nextInMs} ms: ${(error as Error).message}`);
    } finally {
      this.inFlight = undefined;
    }
    this.timer = setTimeout(() => void this.refresh(), nextInMs);
    this.timer.unref();
  }
}
