import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { IDEMPOTENCY_KEY_HEADER, type Shipment, type ShipmentList, type ShipmentRequest } from '@keel/contracts';
import { HttpDependency, SERVICE_ENV, type ProblemDetails } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import { classifyCallError } from './call-outcome';

/** How asking the carrier to ship ended; `unknown` means a shipment may exist (cancel it on failure). */
export type ShipmentAttempt =
  | { kind: 'scheduled'; shipment: Shipment }
  | { kind: 'refused'; problem: ProblemDetails }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'unknown'; reason: string };

/** The idempotency key of an order's shipment: a retry after a timeout or a crash is the same shipment. */
export const shipmentKeyOf = (orderId: string) => `ship-${orderId}`;

export interface OrderToShip {
  id: string;
  items: readonly { productId: string; quantity: number }[];
}

/** The shipping carrier (an external company; `apps/carrier` plays it locally). */
@Injectable()
export class CarrierClient implements OnApplicationShutdown {
  private readonly http: HttpDependency;

  constructor(@Inject(SERVICE_ENV) env: CheckoutEnv) {
    // Retried by the saga (same key), not in line: a parked order costs nothing while the carrier heals.
    this.http = new HttpDependency('carrier', env.KEEL_CARRIER_URL, { timeoutMs: env.KEEL_CHECKOUT_CARRIER_TIMEOUT_MS, policy: { retry: false } });
  }

  async schedule(order: OrderToShip): Promise<ShipmentAttempt> {
    const body: ShipmentRequest = { reference: order.id, items: order.items.map(({ productId, quantity }) => ({ productId, quantity })) };
    try {
      const response = await this.http.request<Shipment | ProblemDetails>('POST', '/shipments', body, { headers: { [IDEMPOTENCY_KEY_HEADER]: shipmentKeyOf(order.id) } });
      const { status } = response;
      if (status === 200 || status === 201) return { kind: 'scheduled', shipment: response.body as Shipment };
      // 503 and 429 are refusals before any work; another 5xx may have come after the shipment was made.
      if (status === 503 || status === 429) return { kind: 'unavailable', reason: `carrier answered ${status}` };
      if (status >= 500) return { kind: 'unknown', reason: `carrier answered ${status}` };
      return { kind: 'refused', problem: { ...(response.body as ProblemDetails), status } };
    } catch (error) {
      return classifyCallError(error);
    }
  }

  /**
   * Cancels every live shipment made for the order, found by its reference: that covers a
   * shipment whose creation was never answered. True once none is left scheduled.
   */
  async cancelAll(orderId: string): Promise<boolean> {
    try {
      const list = await this.http.get<ShipmentList>(`/shipments?reference=${encodeURIComponent(orderId)}`);
      for (const shipment of list.items.filter((s) => s.status === 'scheduled')) {
        const response = await this.http.request('POST', `/shipments/${encodeURIComponent(shipment.id)}/cancel`, {}, { idempotent: true });
        if (response.status !== 200) return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.http.close();
  }
}
