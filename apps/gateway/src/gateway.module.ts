import { Module } from '@nestjs/common';
import { CheckoutController } from './checkout/checkout.controller';
import { DownstreamServices } from './downstream/downstream-services';
import { DependencyReadiness } from './health/dependency-readiness';
import { OrderLocator } from './orders/order-locator';
import { OrdersController } from './orders/orders.controller';
import { ProductPages } from './products/product-pages';
import { ProductsController } from './products/products.controller';

/** The public API of one region, in front of catalog, recommendations and checkout. Wiring only. */
@Module({
  controllers: [ProductsController, CheckoutController, OrdersController],
  providers: [DownstreamServices, DependencyReadiness, ProductPages, OrderLocator],
})
export class GatewayModule {}
