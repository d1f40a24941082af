import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { newOrderId, type CheckoutRequest } from '@keel/contracts';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import { idempotencyKeyReused, requestInProgress } from '../checkout.problems';
import { CheckoutFlow } from '../flow/checkout-flow';
import { CartPricing } from './cart-pricing';
import type { OrderRecord } from './order-record';
import { ClaimLostError, OrdersRepository } from './orders.repository';
import { checkoutFingerprint } from './request-fingerprint';

export interface PlacedOrder {
  order: OrderRecord;
  /** True when the key had been seen before and no work was done for this request. */
  replayed: boolean;
}

/**
 * `POST /orders`: answers a repeated key from what is stored, or prices the cart, persists the
 * order `pending` together with its key, and drives it through the checkout flow.
 */
@Injectable()
export class PlaceOrder {
  private readonly logger = new Logger(PlaceOrder.name);

  constructor(
    @Inject(OrdersRepository) private readonly orders: OrdersRepository,
    @Inject(CartPricing) private readonly pricing: CartPricing,
    @Inject(CheckoutFlow) private readonly flow: CheckoutFlow,
    @Inject(SERVICE_ENV) private readonly env: CheckoutEnv,
  ) {}

  async place(idempotencyKey: string, request: CheckoutRequest): Promise<PlacedOrder> {
    const requestHash = checkoutFingerprint(request);
    const seen = this.orders.findByKey(idempotencyKey);
    if (seen) return this.replay(seen, requestHash);

    const cart = await this.pricing.price(request.items);
    const now = new Date().toISOString();
    const claim = randomUUID();
    const { created, order } = this.orders.create(
      {
        id: newOrderId(this.env.KEEL_REGION, randomUUID()),
        region: this.env.KEEL_REGION,
        status: 'pending',
        items: cart.lines,
        totalCents: cart.totalCents,
        currency: 'USD',
        customer: { email: request.customer.email },
        createdAt: now,
        updatedAt: now,
        idempotencyKey,
        requestHash,
        nextStep: 'reserve-stock',
        compensations: [],
        stepAttempts: 0,
        claimedUntil: this.flow.claimDeadline(),
      },
      claim,
    );
    // A concurrent request with the same key inserted first: answer as a replay of it.
    if (!created) return this.replay(order, requestHash);

    try {
      return { order: await this.flow.drive(order, claim), replayed: false };
    } catch (error) {
      if (!(error instanceof ClaimLostError)) throw error;
      // This request took longer than its claim and recovery took over: report where the order is.
      this.logger.warn({ orderId: order.id }, 'order claim lost to recovery mid-request');
      return { order: this.orders.findById(order.id) ?? order, replayed: false };
    }
  }

  private replay(order: OrderRecord, requestHash: string): PlacedOrder {
    if (order.requestHash !== requestHash) throw idempotencyKeyReused(order.idempotencyKey);
    // Someone (the first request, or recovery) is working on it right now.
    if (order.nextStep && order.claimedUntil > Date.now()) throw requestInProgress(order.id);
    return { order, replayed: true };
  }
}
