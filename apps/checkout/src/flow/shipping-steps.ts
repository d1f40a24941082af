import { Inject, Injectable } from '@nestjs/common';
import { CarrierClient } from '../dependencies/carrier.client';
import type { OrderRecord } from '../orders/order-record';
import { advance, compensationsFor, fail, next, wait, type StepOutcome } from './step-outcome';

/** Schedule shipping (forward) and cancel it (compensation); the carrier keys shipments by `ship-<order id>`. */
@Injectable()
export class ShippingSteps {
  constructor(@Inject(CarrierClient) private readonly carrier: CarrierClient) {}

  async schedule(order: OrderRecord): Promise<StepOutcome> {
    const attempt = await this.carrier.schedule(order);
    if (attempt.kind === 'scheduled') {
      return next({ shipment: { carrier: attempt.shipment.carrier, shipmentId: attempt.shipment.id }, shipmentUncertain: undefined, nextStep: 'confirm-order' });
    }
    if (attempt.kind === 'refused') {
      const problem = { type: '/problems/shipping-refused', title: 'The carrier cannot ship this order', status: 422, detail: attempt.problem.detail ?? attempt.problem.title };
      return fail(order, 'shipping-refused', problem, compensationsFor(order, true));
    }
    // Not now: tried again with backoff; the flow gives up (and compensates) after the step's attempts.
    const uncertain = order.shipmentUncertain || attempt.kind === 'unknown';
    return wait(`carrier: ${attempt.reason}`, uncertain ? { shipmentUncertain: true } : undefined);
  }

  async cancel(order: OrderRecord): Promise<StepOutcome> {
    return (await this.carrier.cancelAll(order.id)) ? advance(order) : wait('carrier did not confirm the cancellation');
  }
}
