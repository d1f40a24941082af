import { Module } from '@nestjs/common';
import { CheckoutDatabase } from './database/checkout-database';
import { EventsPublisher } from './database/events-publisher';
import { CarrierClient } from './dependencies/carrier.client';
import { CatalogClient } from './dependencies/catalog.client';
import { PaymentProviders } from './dependencies/payment-providers';
import { RecommendationsClient } from './dependencies/recommendations.client';
import { CheckoutFlow } from './flow/checkout-flow';
import { OrderRecovery } from './flow/order-recovery';
import { OrderSteps } from './flow/order-steps';
import { PaymentSteps } from './flow/payment-steps';
import { ShippingSteps } from './flow/shipping-steps';
import { StockSteps } from './flow/stock-steps';
import { CartPricing } from './orders/cart-pricing';
import { OrdersAdmin } from './orders/orders-admin';
import { OrdersController } from './orders/orders.controller';
import { OrdersRepository } from './orders/orders.repository';
import { PlaceOrder } from './orders/place-order';
import { OrderReplicaConsumer } from './replica/order-replica.consumer';
import { ReplicatedOrders } from './replica/replicated-orders';

/** Orders from carts through an orchestrated saga (reserve, charge, ship, confirm; compensations in reverse), resumed after a crash, events through the outbox. Wiring only. */
@Module({
  controllers: [OrdersController],
  providers: [
    CheckoutDatabase,
    EventsPublisher,
    OrdersRepository,
    CatalogClient,
    PaymentProviders,
    RecommendationsClient,
    CarrierClient,
    CartPricing,
    StockSteps,
    PaymentSteps,
    ShippingSteps,
    OrderSteps,
    CheckoutFlow,
    PlaceOrder,
    OrderRecovery,
    OrdersAdmin,
    ReplicatedOrders,
    OrderReplicaConsumer,
  ],
})
export class CheckoutModule {}
