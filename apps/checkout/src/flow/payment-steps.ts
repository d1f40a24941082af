import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENV, type ProblemDetails } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import type { ChargeAttempt } from '../dependencies/charge-attempt';
import { PaymentProviders } from '../dependencies/payment-providers';
import type { OrderRecord } from '../orders/order-record';
import { advance, compensationsFor, fail, next, wait, type StepOutcome } from './step-outcome';

/**
 * Charge (forward) and refund (compensation). The charge key derives from the order, so a retried
 * or failed-over charge can never capture twice; provider-b is only asked when provider-a
 * certainly did not capture; a refund goes to the provider that captured.
 */
@Injectable()
export class PaymentSteps {
  private readonly pendingForMs: number;

  constructor(
    @Inject(PaymentProviders) private readonly payments: PaymentProviders,
    @Inject(SERVICE_ENV) env: Pick<CheckoutEnv, 'KEEL_CHECKOUT_PAYMENT_PENDING_MAX_MS'>,
  ) {
    this.pendingForMs = env.KEEL_CHECKOUT_PAYMENT_PENDING_MAX_MS;
  }

  async charge(order: OrderRecord, now = Date.now()): Promise<StepOutcome> {
    // A provider that may already hold this charge is asked again (same key) and nobody else is.
    const candidates = order.uncertainProvider ? [order.uncertainProvider] : this.payments.names;
    for (const provider of candidates) {
      const attempt = await this.payments.charge(provider, order);
      if (attempt.kind === 'unavailable') continue;
      if (attempt.kind === 'captured') return captured(provider, attempt.charge.id);
      if (attempt.kind === 'unknown') return wait(`charge at ${provider} has no known outcome: ${attempt.reason}`, { uncertainProvider: provider });
      return this.refused(order, provider, attempt);
    }
    if (order.uncertainProvider) return wait(`${order.uncertainProvider} is unavailable and may hold an earlier capture`);
    if (now - Date.parse(order.createdAt) >= this.pendingForMs) {
      const problem: ProblemDetails = { type: '/problems/payment-unavailable', title: 'No payment provider is available', status: 503, detail: `no provider could take the charge for ${Math.round(this.pendingForMs / 1000)} s` };
      return fail(order, 'payment-unavailable', problem, compensationsFor(order, true));
    }
    // Accepted all the same: the order waits in the queue and is charged when a provider is back.
    return wait('no payment provider could take the charge', { status: 'payment-pending' }, { bounded: false });
  }

  async refund(order: OrderRecord): Promise<StepOutcome> {
    if (!order.payment) return advance(order);
    const refundId = await this.payments.refund(order.payment.provider, order.payment.chargeId, order);
    return refundId ? advance(order, { refundId }) : wait(`${order.payment.provider} did not confirm the refund`);
  }

  /** A decline (or other refusal) is final, unless an earlier attempt there might have captured. */
  private async refused(order: OrderRecord, provider: string, attempt: Extract<ChargeAttempt, { problem: ProblemDetails }>): Promise<StepOutcome> {
    if (order.uncertainProvider) {
      let earlier;
      try {
        earlier = (await this.payments.chargesFor(provider, order.id)).find((charge) => charge.status === 'captured');
      } catch (error) {
        return wait(`cannot tell whether ${provider} captured earlier: ${(error as Error).message}`);
      }
      if (earlier) return captured(provider, earlier.id);
    }
    const plan = compensationsFor(order, true);
    if (attempt.kind === 'declined') {
      return fail(order, 'payment-declined', { type: '/problems/payment-declined', title: 'Payment declined', status: 402, detail: attempt.problem.detail ?? `declined by ${provider}` }, plan);
    }
    return fail(order, 'payment-rejected', { type: '/problems/payment-rejected', title: 'Payment provider rejected the charge', status: 502, detail: `${provider} answered ${attempt.problem.status}` }, plan);
  }
}

function captured(provider: string, chargeId: string): StepOutcome {
  // Back from payment-pending (if it was): the saga runs on.
  return next({ status: 'pending', payment: { provider, chargeId }, uncertainProvider: undefined, nextStep: 'schedule-shipping' });
}
