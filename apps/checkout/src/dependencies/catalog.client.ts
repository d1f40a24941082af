import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { LineItem, Product, Reservation, ReserveStockRequest } from '@keel/contracts';
import { DependencyError, HttpDependency, SERVICE_ENV, type ProblemDetails } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';

/** How a reserve call ended, as the checkout flow needs to tell it apart. */
export type ReserveOutcome =
  | { kind: 'reserved' }
  /** Catalog answered no (insufficient stock, unknown product): nothing was reserved. */
  | { kind: 'refused'; problem: ProblemDetails }
  /** No clear answer: a reservation may or may not exist. */
  | { kind: 'unavailable'; reason: string };

/** Catalog as checkout uses it: prices, and stock reservations keyed by the order id. */
@Injectable()
export class CatalogClient implements OnApplicationShutdown {
  private readonly http: HttpDependency;

  constructor(@Inject(SERVICE_ENV) env: CheckoutEnv) {
    this.http = new HttpDependency('catalog', env.KEEL_CATALOG_URL, { timeoutMs: env.KEEL_CHECKOUT_CATALOG_TIMEOUT_MS });
  }

  /** The product, or undefined when catalog does not know it; DependencyError when catalog cannot answer. */
  async product(productId: string): Promise<Product | undefined> {
    const response = await this.http.request<Product>('GET', `/products/${encodeURIComponent(productId)}`);
    if (response.status === 200) return response.body;
    if (response.status === 404) return undefined;
    throw new DependencyError('catalog', `catalog answered ${response.status} for product ${productId}`, response.status);
  }

  async reserve(reservationId: string, items: readonly LineItem[]): Promise<ReserveOutcome> {
    const body: ReserveStockRequest = { reservationId, items: items.map(({ productId, quantity }) => ({ productId, quantity })) };
    try {
      const response = await this.http.request<Reservation | ProblemDetails>('POST', '/reservations', body, { idempotent: true });
      if (response.status === 200 || response.status === 201) return { kind: 'reserved' };
      if (response.status >= 400 && response.status < 500 && response.status !== 429 && isProblem(response.body)) return { kind: 'refused', problem: response.body };
      return { kind: 'unavailable', reason: `catalog answered ${response.status}` };
    } catch (error) {
      return { kind: 'unavailable', reason: (error as Error).message };
    }
  }

  /** Gives the stock back; true once it is back (or was never taken), false when catalog could not say. */
  async release(reservationId: string): Promise<boolean> {
    try {
      const response = await this.http.request('POST', `/reservations/${encodeURIComponent(reservationId)}/release`, {}, { idempotent: true });
      return (response.status >= 200 && response.status < 300) || response.status === 404;
    } catch {
      return false;
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.http.close();
  }
}

function isProblem(body: unknown): body is ProblemDetails {
  return typeof body === 'object' && body !== null && typeof (body as ProblemDetails).type === 'string' && typeof (body as ProblemDetails).status === 'number';
}
