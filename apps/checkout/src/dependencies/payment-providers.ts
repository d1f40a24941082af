import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { IDEMPOTENCY_KEY_HEADER, type Charge, type ChargeList, type ChargeRequest, type Refund, type RefundRequest } from '@keel/contracts';
import { HttpDependency, SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import { classifyChargeAnswer, classifyChargeError, type ChargeAttempt } from './charge-attempt';

export interface OrderToCharge {
  id: string;
  totalCents: number;
  currency: 'USD';
}

/**
 * The idempotency key of an order's charge: derived from the order, never random, so every retry
 * of the charge (after a timeout, after a crash, by the recovery loop) is the same charge.
 */
export function chargeKeyOf(orderId: string): string {
  return `charge-${orderId}`;
}

/** The idempotency key of an order's refund: the refund compensation may run any number of times. */
export function refundKeyOf(orderId: string): string {
  return `refund-${orderId}`;
}

/** The two payment providers, in the order checkout prefers them. */
@Injectable()
export class PaymentProviders implements OnApplicationShutdown {
  private readonly providers: ReadonlyMap<string, HttpDependency>;

  constructor(@Inject(SERVICE_ENV) env: CheckoutEnv) {
    // No in-line retries of a charge: checkout's recovery loop retries it (same key, same provider)
    // once the order's claim has lapsed, and failing over to the other provider is the faster
    // answer when this one refuses. The breaker and bulkhead still guard each provider.
    const options = { timeoutMs: env.KEEL_CHECKOUT_PAYMENT_TIMEOUT_MS, policy: { retry: false as const } };
    this.providers = new Map([
      ['provider-a', new HttpDependency('provider-a', env.KEEL_PROVIDER_A_URL, options)],
      ['provider-b', new HttpDependency('provider-b', env.KEEL_PROVIDER_B_URL, options)],
    ]);
  }

  /** Provider names, preferred first. */
  get names(): string[] {
    return [...this.providers.keys()];
  }

  /** One attempt at one provider; never throws. */
  async charge(provider: string, order: OrderToCharge): Promise<ChargeAttempt> {
    const body: ChargeRequest = { amountCents: order.totalCents, currency: order.currency, reference: order.id };
    try {
      const response = await this.dependency(provider).request('POST', '/charges', body, { headers: { [IDEMPOTENCY_KEY_HEADER]: chargeKeyOf(order.id) } });
      return classifyChargeAnswer(response);
    } catch (error) {
      return classifyChargeError(error);
    }
  }

  /**
   * Refunds the order's whole charge at the provider that captured it. The refund id once the
   * provider has it (a repeat answers the same refund); undefined when it could not say.
   */
  async refund(provider: string, chargeId: string, order: OrderToCharge): Promise<string | undefined> {
    const body: RefundRequest = { amountCents: order.totalCents };
    try {
      const path = `/charges/${encodeURIComponent(chargeId)}/refunds`;
      const response = await this.dependency(provider).request<Refund>('POST', path, body, { headers: { [IDEMPOTENCY_KEY_HEADER]: refundKeyOf(order.id) }, idempotent: true });
      return response.status === 200 || response.status === 201 ? response.body.id : undefined;
    } catch {
      return undefined;
    }
  }

  /** The charges a provider holds for an order; throws DependencyError when it cannot say. */
  async chargesFor(provider: string, orderId: string): Promise<Charge[]> {
    const list = await this.dependency(provider).get<ChargeList>(`/charges?reference=${encodeURIComponent(orderId)}`);
    return list.items;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.providers.values()].map((p) => p.close()));
  }

  private dependency(provider: string): HttpDependency {
    const dependency = this.providers.get(provider);
    if (!dependency) throw new Error(`unknown payment provider ${provider}`);
    return dependency;
  }
}
