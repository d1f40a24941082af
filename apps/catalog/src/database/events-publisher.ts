import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { startOutboxPublisher, type OutboxPublisher } from '@keel/messaging';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';
import { CatalogDatabase } from './catalog-database';

/** Publishes the catalog's outbox (stock events) to the region's Kafka; stopped before the database closes. */
@Injectable()
export class EventsPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventsPublisher.name);
  private publisher?: OutboxPublisher;

  constructor(
    @Inject(CatalogDatabase) private readonly database: CatalogDatabase,
    @Inject(SERVICE_ENV) private readonly env: CatalogEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.publisher = startOutboxPublisher(this.database.db, this.env, { topics: [TOPICS.stock.name], logger: this.logger });
  }

  async onModuleDestroy(): Promise<void> {
    await this.publisher?.stop();
  }
}
