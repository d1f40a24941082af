import { context } from '@opentelemetry/api';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Order, OrderSignal } from '@keel/contracts';
import { withoutDeadline } from '@keel/resilience';
import { HttpDependency, SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';

/** Popularity signals are Tier 3: worth a short try, never worth failing or delaying an order for. */
const SIGNAL_TIMEOUT_MS = 1_000;

@Injectable()
export class RecommendationsClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RecommendationsClient.name);
  private readonly http: HttpDependency;

  constructor(@Inject(SERVICE_ENV) env: CheckoutEnv) {
    this.http = new HttpDependency('recommendations', env.KEEL_RECOMMENDATIONS_URL, { timeoutMs: SIGNAL_TIMEOUT_MS, connections: 4 });
  }

  /** Fire and forget: returns at once; a failure is logged and dropped (the signal is idempotent on orderId). */
  signalOrder(order: Pick<Order, 'id' | 'items'>): void {
    const signal: OrderSignal = { orderId: order.id, items: order.items.map(({ productId, quantity }) => ({ productId, quantity })) };
    // Best effort, after the order is answered: it must not inherit (and be cut by) the request's deadline.
    context.with(withoutDeadline(context.active()), () => this.http.post('/signals/orders', signal)).catch((error: unknown) => {
      this.logger.warn({ orderId: order.id, err: (error as Error).message }, 'order signal to recommendations dropped');
    });
  }

  onApplicationShutdown(): Promise<void> {
    return this.http.close();
  }
}
