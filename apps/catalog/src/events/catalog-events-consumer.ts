import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { startBackgroundConsumer, type BackgroundConsumer, type EventHandlers } from '@keel/messaging';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';
import { CatalogDatabase } from '../database/catalog-database';
import { StockTransfers } from '../rebalancing/stock-transfers';
import { ProductUpdates } from '../replication/product-updates';

/** Both are replicated between regions, so the other region's events arrive on the local broker. */
const TOPICS_CONSUMED = [TOPICS.stock.name, TOPICS.catalog.name];

/**
 * Consumes the region's `keel.stock` and `keel.catalog` as group `catalog-<region>`: stock
 * transfers with the other region, and its product changes. Joins in the background (a broker
 * outage delays transfers and replication, never start-up); without KEEL_KAFKA_BROKERS it does
 * nothing. Stops in module destroy, before the database closes.
 */
@Injectable()
export class CatalogEventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CatalogEventsConsumer');
  private consumer?: BackgroundConsumer;

  constructor(
    @Inject(SERVICE_ENV) private readonly env: CatalogEnv,
    @Inject(CatalogDatabase) private readonly database: CatalogDatabase,
    @Inject(StockTransfers) private readonly transfers: StockTransfers,
    @Inject(ProductUpdates) private readonly products: ProductUpdates,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer = startBackgroundConsumer(this.database.db, this.env, {
      groupId: `catalog-${this.env.KEEL_REGION}`,
      topics: TOPICS_CONSUMED,
      handlers: this.handlers(),
      logger: this.logger,
      retryMs: 2_000,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }

  private handlers(): EventHandlers {
    // What a region did with the other's events is worth a line; what it skipped is not.
    const log = (type: string, outcome: string, data: object) => {
      if (outcome !== 'not-for-us' && outcome !== 'duplicate') this.logger.log({ ...data, outcome }, `${type}: ${outcome}`);
    };
    return {
      'stock.transfer-requested': (event, ctx) => log(event.type, this.transfers.onRequested(event, ctx), event.data),
      'stock.transferred': (event, ctx) => log(event.type, this.transfers.onTransferred(event, ctx), event.data),
      'stock.transfer-declined': (event, ctx) => log(event.type, this.transfers.onDeclined(event, ctx), event.data),
      'product.updated': (event, ctx) => log(event.type, this.products.apply(event, ctx), { productId: event.data.productId, region: event.data.region }),
    };
  }
}
