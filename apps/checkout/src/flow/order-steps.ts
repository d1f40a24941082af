import { Inject, Injectable } from '@nestjs/common';
import { RecommendationsClient } from '../dependencies/recommendations.client';
import { isCompensation, type OrderRecord, type StepName } from '../orders/order-record';
import { PaymentSteps } from './payment-steps';
import { ShippingSteps } from './shipping-steps';
import { compensationsFor, fail, needsAttention, next, type StepOutcome } from './step-outcome';
import { StockSteps } from './stock-steps';

/**
 * The checkout saga, orchestrated: each step is a small function of the persisted order that
 * returns what changed. Forward: reserve stock → charge → schedule shipping → confirm (which
 * notifies). Compensations, in reverse: cancel shipment → refund → release stock → cancel order
 * (which notifies). Every step is safe to run again: reservations are keyed by the order id,
 * charges by `charge-<id>`, refunds by `refund-<id>`, shipments by `ship-<id>`, so a step re-run
 * after a crash is answered, never applied twice.
 */
@Injectable()
export class OrderSteps {
  constructor(
    @Inject(StockSteps) private readonly stock: StockSteps,
    @Inject(PaymentSteps) private readonly payment: PaymentSteps,
    @Inject(ShippingSteps) private readonly shipping: ShippingSteps,
    @Inject(RecommendationsClient) private readonly recommendations: RecommendationsClient,
  ) {}

  run(step: StepName, order: OrderRecord): Promise<StepOutcome> {
    switch (step) {
      case 'reserve-stock':
        return this.stock.reserve(order);
      case 'charge-payment':
        return this.payment.charge(order);
      case 'schedule-shipping':
        return this.shipping.schedule(order);
      case 'confirm-order':
        return Promise.resolve(this.confirm(order));
      case 'cancel-shipment':
        return this.shipping.cancel(order);
      case 'refund-payment':
        return this.payment.refund(order);
      case 'release-stock':
        return this.stock.release(order);
      case 'cancel-order':
        // The order.cancelled event and the customer's notification are written with this save.
        return Promise.resolve(next({ nextStep: null, compensations: [] }));
    }
  }

  /**
   * A step has waited as often as it may. A compensation, or a charge whose outcome is still
   * unknown, cannot be decided by code: the saga stops for a human. Shipping that never happened
   * fails the order, which is then compensated.
   */
  giveUp(step: StepName, order: OrderRecord, reason: string): StepOutcome {
    if (step === 'schedule-shipping') {
      const problem = { type: '/problems/shipping-unavailable', title: 'The carrier is unavailable', status: 503, detail: reason };
      return fail(order, 'shipping-unavailable', problem, compensationsFor(order, true));
    }
    if (isCompensation(step) || step === 'charge-payment') return needsAttention(step, reason);
    throw new Error(`step ${step} never waits, so it cannot run out of attempts`);
  }

  private confirm(order: OrderRecord): StepOutcome {
    if (!order.payment || !order.shipment) throw new Error(`order ${order.id} reached confirm-order without a payment and a shipment`);
    return next({ status: 'confirmed', nextStep: null }, (confirmed) => this.recommendations.signalOrder(confirmed));
  }
}
