import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import { OrdersRepository } from '../orders/orders.repository';
import { CheckoutFlow } from './checkout-flow';

/** Orders taken per pass: a backlog after an outage drains over several passes, not in one burst. */
const ORDERS_PER_PASS = 20;

/**
 * Finishes what a request (or a process) did not: on start-up and every interval it claims orders
 * with work left whose owner is gone (a crash) or whose wait is over (a charge with no known
 * outcome, a release catalog did not confirm) and drives them on from their persisted step.
 */
@Injectable()
export class OrderRecovery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OrderRecovery.name);
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(OrdersRepository) private readonly orders: OrdersRepository,
    @Inject(CheckoutFlow) private readonly flow: CheckoutFlow,
    @Inject(SERVICE_ENV) private readonly env: CheckoutEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runPass(), this.env.KEEL_CHECKOUT_RECOVERY_INTERVAL_MS);
    this.timer.unref();
    void this.runPass();
  }

  /** Stops before the listener and database close, letting a pass in progress finish its step. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.pass;
  }

  /** One pass; a pass still running when the next is due is not doubled up. Resolves when done. */
  runPass(): Promise<void> {
    this.pass ??= this.recover().finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async recover(): Promise<void> {
    // One claim at a time, so an order is never held while the ones before it are worked on.
    for (let taken = 0; taken < ORDERS_PER_PASS && !this.stopping; taken++) {
      const claim = randomUUID();
      const [order] = this.orders.claimDue(claim, Date.now(), this.flow.claimDeadline(), 1);
      if (!order) return;
      try {
        const after = await this.flow.drive(order, claim);
        this.logger.log({ orderId: order.id, from: order.nextStep, status: after.status, nextStep: after.nextStep }, 'recovery drove order');
      } catch (error) {
        this.logger.error({ orderId: order.id, err: error }, 'order recovery failed');
      }
    }
  }
}
