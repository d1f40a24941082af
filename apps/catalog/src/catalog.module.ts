import { Module } from '@nestjs/common';
import { CatalogDatabase } from './database/catalog-database';
import { ProductRepository } from './products/product.repository';
import { ProductsController } from './products/products.controller';
import { ReservationsController } from './reservations/reservations.controller';
import { StockReservations } from './reservations/stock-reservations';

/** Products and the stock reservations checkout makes against them. Wiring only. */
@Module({
  controllers: [ProductsController, ReservationsController],
  providers: [CatalogDatabase, ProductRepository, StockReservations],
})
export class CatalogModule {}
