import { Module } from '@nestjs/common';
import { CatalogDatabase } from './database/catalog-database';
import { EventsPublisher } from './database/events-publisher';
import { CatalogEventsConsumer } from './events/catalog-events-consumer';
import { ProductRepository } from './products/product.repository';
import { ProductsController } from './products/products.controller';
import { RebalanceSettings } from './rebalancing/rebalance-settings';
import { StockTransfers } from './rebalancing/stock-transfers';
import { TransferRequests } from './rebalancing/transfer-requests';
import { ProductAdmin } from './replication/product-admin';
import { ProductUpdates } from './replication/product-updates';
import { ReservationsController } from './reservations/reservations.controller';
import { StockAdmin } from './reservations/stock-admin';
import { StockReservations } from './reservations/stock-reservations';

/**
 * Products and the stock reservations checkout makes against them, with their stock events;
 * stock transfers with the other region and product changes replicated both ways. Wiring only.
 */
@Module({
  controllers: [ProductsController, ReservationsController],
  providers: [
    CatalogDatabase,
    ProductRepository,
    RebalanceSettings,
    TransferRequests,
    StockReservations,
    StockTransfers,
    StockAdmin,
    ProductUpdates,
    ProductAdmin,
    EventsPublisher,
    CatalogEventsConsumer,
  ],
})
export class CatalogModule {}
