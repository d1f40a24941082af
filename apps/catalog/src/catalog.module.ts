import { Module } from '@nestjs/common';
import { CatalogDatabase } from './database/catalog-database';
import { EventsPublisher } from './database/events-publisher';
import { ProductRepository } from './products/product.repository';
import { ProductsController } from './products/products.controller';
import { ReservationsController } from './reservations/reservations.controller';
import { StockAdmin } from './reservations/stock-admin';
import { StockReservations } from './reservations/stock-reservations';

/** Products and the stock reservations checkout makes against them, with their stock events. Wiring only. */
@Module({
  controllers: [ProductsController, ReservationsController],
  providers: [CatalogDatabase, ProductRepository, StockReservations, StockAdmin, EventsPublisher],
})
export class CatalogModule {}
