import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Order, OrderStatus } from '@keel/contracts';
import { AdminRoutes, problem } from '@keel/service-kit';
import { toOrder } from './order-record';
import { OrdersRepository } from './orders.repository';

const STATUSES: readonly OrderStatus[] = ['pending', 'payment-pending', 'confirmed', 'failed', 'needs-attention'];

/** An order as the audit sees it: the public view plus what ties it to a payment and to work left. */
export interface AuditedOrder extends Order {
  idempotencyKey: string;
  nextStep: string | null;
  /** Compensations owed after nextStep. */
  compensations: string[];
  stepAttempts: number;
  uncertainProvider?: string;
  refundId?: string;
}

/** Admin-port routes: every order (optionally by status) for the audit that reconciles regions and providers. */
@Injectable()
export class OrdersAdmin implements OnModuleInit {
  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(OrdersRepository) private readonly orders: OrdersRepository,
  ) {}

  onModuleInit(): void {
    this.routes.add('GET', '/admin/orders', ({ query }) => {
      const status = query.status as OrderStatus | undefined;
      if (status !== undefined && !STATUSES.includes(status)) throw problem(400, 'validation', 'Unknown order status', `status must be one of ${STATUSES.join(', ')}`);
      const items: AuditedOrder[] = this.orders.list(status).map((record) => ({
        ...toOrder(record),
        idempotencyKey: record.idempotencyKey,
        nextStep: record.nextStep,
        compensations: record.compensations,
        stepAttempts: record.stepAttempts,
        ...(record.uncertainProvider ? { uncertainProvider: record.uncertainProvider } : {}),
        ...(record.refundId ? { refundId: record.refundId } : {}),
      }));
      return { items };
    });
  }
}
