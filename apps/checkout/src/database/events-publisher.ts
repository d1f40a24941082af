import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { startOutboxPublisher, type OutboxPublisher } from '@keel/messaging';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import { CheckoutDatabase } from './checkout-database';

/** Publishes the checkout's outbox (order and payment events) to the region's Kafka; stopped before the database closes. */
@Injectable()
export class EventsPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventsPublisher.name);
  private publisher?: OutboxPublisher;

  constructor(
    @Inject(CheckoutDatabase) private readonly database: CheckoutDatabase,
    @Inject(SERVICE_ENV) private readonly env: CheckoutEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.publisher = startOutboxPublisher(this.database.db, this.env, { topics: [TOPICS.orders.name, TOPICS.payments.name], logger: this.logger });
  }

  async onModuleDestroy(): Promise<void> {
    await this.publisher?.stop();
  }
}
