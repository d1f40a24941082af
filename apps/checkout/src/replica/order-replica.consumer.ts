import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TOPICS, type EventEnvelope } from '@keel/contracts';
import { startBackgroundConsumer, type BackgroundConsumer, type HandlerContext } from '@keel/messaging';
import { SERVICE_ENV, transaction } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import { ReplicatedOrders } from './replicated-orders';

/**
 * Feeds the replicated-orders read model from the region's own broker, where the replicator puts
 * the other region's order and shipping events. Events this region made itself are skipped: its
 * own orders are in the orders table. Each event is applied and marked processed in one
 * transaction, so a redelivery changes nothing.
 */
@Injectable()
export class OrderReplicaConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OrderReplicaConsumer.name);
  private consumer?: BackgroundConsumer;

  constructor(
    @Inject(ReplicatedOrders) private readonly replica: ReplicatedOrders,
    @Inject(SERVICE_ENV) private readonly env: CheckoutEnv,
  ) {}

  /** Resolves once the consumer has joined its group (tests wait on it). */
  get joined(): Promise<void> | undefined {
    return this.consumer?.joined;
  }

  onApplicationBootstrap(): void {
    const apply = (event: EventEnvelope, ctx: HandlerContext) => this.apply(event, ctx);
    this.consumer = startBackgroundConsumer(this.replica.database, this.env, {
      groupId: `checkout-replica-${this.env.KEEL_REGION}`,
      topics: [TOPICS.orders.name, TOPICS.shipping.name],
      handlers: {
        'order.created': apply,
        'order.payment-pending': apply,
        'order.confirmed': apply,
        'order.cancelled': apply,
        'order.needs-attention': apply,
        'shipment.scheduled': apply,
      },
      logger: this.logger,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }

  private apply(event: EventEnvelope, ctx: HandlerContext): void {
    if (event.origin === this.env.KEEL_REGION) return;
    transaction(this.replica.database, () => {
      if (ctx.markProcessed()) this.replica.apply(event);
    });
  }
}
