import { Inject, Injectable } from '@nestjs/common';
import type { ProblemDetails } from '@keel/service-kit';
import { CatalogClient } from '../dependencies/catalog.client';
import type { ChargeAttempt } from '../dependencies/charge-attempt';
import { PaymentProviders } from '../dependencies/payment-providers';
import { RecommendationsClient } from '../dependencies/recommendations.client';
import type { OrderRecord, StepName } from '../orders/order-record';
import { fail, next, wait, type StepOutcome } from './step-outcome';

/**
 * The steps of placing an order, each a small function of the persisted order that returns what
 * changed. Every step is safe to run again: reservations are keyed by the order id and charges by
 * `charge-<order id>`, so a step re-run after a crash is answered, never applied twice. An
 * orchestrated saga (with an outbox) can take these over one by one.
 */
@Injectable()
export class OrderSteps {
  constructor(
    @Inject(CatalogClient) private readonly catalog: CatalogClient,
    @Inject(PaymentProviders) private readonly payments: PaymentProviders,
    @Inject(RecommendationsClient) private readonly recommendations: RecommendationsClient,
  ) {}

  run(step: StepName, order: OrderRecord): Promise<StepOutcome> {
    switch (step) {
      case 'reserve-stock':
        return this.reserveStock(order);
      case 'charge-payment':
        return this.chargePayment(order);
      case 'confirm-order':
        return Promise.resolve(this.confirmOrder(order));
      case 'release-stock':
        return this.releaseStock(order);
    }
  }

  async reserveStock(order: OrderRecord): Promise<StepOutcome> {
    const outcome = await this.catalog.reserve(order.id, order.items);
    if (outcome.kind === 'reserved') return next({ nextStep: 'charge-payment' });
    // Catalog reserves all lines or none, so a refusal leaves nothing to give back.
    if (outcome.kind === 'refused') return fail(order, outcome.problem.type.replace(/^\/problems\//, ''), outcome.problem, null);
    // No answer: a late reservation may still land, so it is released (releasing nothing is harmless).
    return fail(order, 'catalog-unavailable', unavailable('catalog', outcome.reason), 'release-stock');
  }

  async chargePayment(order: OrderRecord): Promise<StepOutcome> {
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
    // Issue 4: instead of failing, park the order as payment-pending and charge when a provider is back.
    return fail(order, 'payment-unavailable', unavailable('payment', 'no payment provider could take the charge'), 'release-stock');
  }

  confirmOrder(order: OrderRecord): StepOutcome {
    if (!order.payment) throw new Error(`order ${order.id} reached confirm-order without a payment`);
    return next({ status: 'confirmed', nextStep: null }, (confirmed) => this.recommendations.signalOrder(confirmed));
  }

  async releaseStock(order: OrderRecord): Promise<StepOutcome> {
    return (await this.catalog.release(order.id)) ? next({ nextStep: null }) : wait('catalog did not confirm the release');
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
    if (attempt.kind === 'declined') {
      return fail(order, 'payment-declined', { type: '/problems/payment-declined', title: 'Payment declined', status: 402, detail: attempt.problem.detail ?? `declined by ${provider}` }, 'release-stock');
    }
    return fail(order, 'payment-rejected', { type: '/problems/payment-rejected', title: 'Payment provider rejected the charge', status: 502, detail: `${provider} answered ${attempt.problem.status}` }, 'release-stock');
  }
}

function captured(provider: string, chargeId: string): StepOutcome {
  return next({ payment: { provider, chargeId }, uncertainProvider: undefined, nextStep: 'confirm-order' });
}

function unavailable(what: 'catalog' | 'payment', detail: string): ProblemDetails {
  return what === 'catalog'
    ? { type: '/problems/dependency-unavailable', title: 'catalog is unavailable', status: 503, detail, dependency: 'catalog' }
    : { type: '/problems/payment-unavailable', title: 'No payment provider is available', status: 503, detail };
}
