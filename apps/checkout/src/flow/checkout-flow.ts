import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import type { OrderRecord } from '../orders/order-record';
import { OrdersRepository } from '../orders/orders.repository';
import { OrderSteps } from './order-steps';
import type { StepOutcome } from './step-outcome';

/** More than any saga needs (4 forward steps, or a failure and 4 compensations): a guard against a step that loops. */
const MAX_STEPS_PER_RUN = 10;

/**
 * Drives one order's saga from its persisted step as far as it can go now, saving after every
 * step. The caller must hold the order's claim; the claim is renewed with every save, and let go
 * at the end: right away when the saga has ended, or with a `resume_at` when a step has to wait
 * (retried with exponential backoff and jitter; after `KEEL_CHECKOUT_STEP_ATTEMPTS` tries the
 * step gives up, see OrderSteps.giveUp). A crash leaves the claim to expire, with the same effect.
 */
@Injectable()
export class CheckoutFlow {
  private readonly logger = new Logger(CheckoutFlow.name);

  constructor(
    @Inject(OrdersRepository) private readonly orders: OrdersRepository,
    @Inject(OrderSteps) private readonly steps: OrderSteps,
    @Inject(SERVICE_ENV) private readonly env: CheckoutEnv,
  ) {}

  /** How long from now a worker may hold an order for one step. */
  claimDeadline(): number {
    return Date.now() + this.env.KEEL_CHECKOUT_RECOVER_AFTER_MS;
  }

  async drive(start: OrderRecord, claim: string): Promise<OrderRecord> {
    let order = start;
    for (let run = 0; order.nextStep && order.status !== 'needs-attention' && run < MAX_STEPS_PER_RUN; run++) {
      const step = order.nextStep;
      let outcome = await this.attempt(step, order);
      if (outcome.kind === 'wait') {
        const stepAttempts = order.stepAttempts + 1;
        const waiting = { ...order, ...outcome.changes, stepAttempts };
        if (outcome.bounded !== false && stepAttempts >= this.env.KEEL_CHECKOUT_STEP_ATTEMPTS) {
          this.logger.error({ orderId: order.id, step, attempts: stepAttempts, reason: outcome.reason }, 'saga step gave up');
          order = waiting;
          outcome = this.steps.giveUp(step, waiting, outcome.reason);
        } else {
          this.logger.warn({ orderId: order.id, step, attempts: stepAttempts, reason: outcome.reason }, 'saga step parked for retry');
          return this.orders.save(waiting, claim, 0, Date.now() + this.backoff(stepAttempts));
        }
      }
      if (outcome.kind !== 'next') throw new Error('giveUp must decide');
      const moved = outcome.changes.nextStep !== undefined && outcome.changes.nextStep !== step;
      order = this.orders.save({ ...order, ...outcome.changes, stepAttempts: moved ? 0 : order.stepAttempts }, claim, this.claimDeadline());
      outcome.after?.(order);
    }
    // Done; or, should the step budget run out, the rest is left to recovery.
    // (A needs-attention order keeps its step but recovery leaves it alone: see needsAttention.)
    return this.orders.save(order, claim, 0, order.nextStep ? Date.now() + this.env.KEEL_CHECKOUT_RETRY_BASE_MS : 0);
  }

  /** Exponential from the base, capped, with "equal jitter" so parked orders do not retry in step. */
  private backoff(attempts: number): number {
    const ceiling = Math.min(this.env.KEEL_CHECKOUT_RETRY_MAX_MS, this.env.KEEL_CHECKOUT_RETRY_BASE_MS * 2 ** (attempts - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** A step that throws is a bug or a crash-alike: the order waits for recovery rather than failing. */
  private async attempt(step: NonNullable<OrderRecord['nextStep']>, order: OrderRecord): Promise<StepOutcome> {
    try {
      return await this.steps.run(step, order);
    } catch (error) {
      this.logger.error({ orderId: order.id, step, err: error }, 'saga step threw');
      return { kind: 'wait', reason: `step ${step} threw` };
    }
  }
}
