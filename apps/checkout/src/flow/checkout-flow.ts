import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import type { OrderRecord } from '../orders/order-record';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderSteps } from './order-steps';
import type { StepOutcome } from './step-outcome';

/** More than any order needs (reserve, charge, confirm or release): a guard against a step that loops. */
const MAX_STEPS_PER_RUN = 8;

/**
 * Drives one order from its persisted step as far as it can go now, saving after every step.
 * The caller must hold the order's claim; the claim is renewed with every save, and let go at the
 * end: right away when the order is done, or with a `resume_at` when it has to wait, which is when
 * the recovery loop takes it up again. A crash leaves the claim to expire, with the same effect.
 */
@Injectable()
export class CheckoutFlow {
  private readonly logger = new Logger(CheckoutFlow.name);
  private readonly holdMs: number;

  constructor(
    @Inject(OrdersRepository) private readonly orders: OrdersRepository,
    @Inject(OrderSteps) private readonly steps: OrderSteps,
    @Inject(SERVICE_ENV) env: CheckoutEnv,
  ) {
    this.holdMs = env.KEEL_CHECKOUT_RECOVER_AFTER_MS;
  }

  /** How long from now a worker may hold an order for one step. */
  claimDeadline(): number {
    return Date.now() + this.holdMs;
  }

  async drive(start: OrderRecord, claim: string): Promise<OrderRecord> {
    let order = start;
    for (let run = 0; order.nextStep && run < MAX_STEPS_PER_RUN; run++) {
      const step = order.nextStep;
      const outcome = await this.attempt(step, order);
      if (outcome.kind === 'wait') {
        this.logger.warn({ orderId: order.id, step, reason: outcome.reason }, 'order parked for recovery');
        return this.orders.save({ ...order, ...outcome.changes }, claim, 0, Date.now() + this.holdMs);
      }
      order = this.orders.save({ ...order, ...outcome.changes }, claim, this.claimDeadline());
      outcome.after?.(order);
    }
    // Done; or, should the step budget run out, the rest is left to recovery.
    return this.orders.save(order, claim, 0, order.nextStep ? Date.now() + this.holdMs : 0);
  }

  /** A step that throws is a bug or a crash-alike: the order waits for recovery rather than failing. */
  private async attempt(step: NonNullable<OrderRecord['nextStep']>, order: OrderRecord): Promise<StepOutcome> {
    try {
      return await this.steps.run(step, order);
    } catch (error) {
      this.logger.error({ orderId: order.id, step, err: error }, 'order step threw');
      return { kind: 'wait', reason: `step ${step} threw` };
    }
  }
}
