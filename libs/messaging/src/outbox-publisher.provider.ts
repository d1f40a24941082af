import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type Type } from '@nestjs/common';
import type { DatabaseSync } from 'node:sqlite';
import { SERVICE_ENV } from '@keel/service-kit';
import { startOutboxPublisher, type OutboxPublisher, type OutboxPublisherEnv } from './outbox-publisher';

/**
 * A Nest provider that relays a service's outbox to its region's Kafka from bootstrap, and stops
 * before the database closes (module destroy runs before the database provider's shutdown hook).
 * `database` is the app's provider that owns the SQLite handle the outbox lives in.
 */
export function outboxPublisherProvider(database: Type<{ db: DatabaseSync }>, topics: readonly string[]): Type<unknown> {
  @Injectable()
  class EventsPublisher implements OnApplicationBootstrap, OnModuleDestroy {
    private readonly logger = new Logger('EventsPublisher');
    private publisher?: OutboxPublisher;

    constructor(
      @Inject(database) private readonly owner: { db: DatabaseSync },
      @Inject(SERVICE_ENV) private readonly env: OutboxPublisherEnv,
    ) {}

    onApplicationBootstrap(): void {
      this.publisher = startOutboxPublisher(this.owner.db, this.env, { topics: [...topics], logger: this.logger });
    }

    async onModuleDestroy(): Promise<void> {
      await this.publisher?.stop();
    }
  }
  return EventsPublisher;
}
