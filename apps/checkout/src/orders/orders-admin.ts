import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Order, OrderStatus } from '@keel/contracts';
import { AdminRoutes, problem } from '@keel/service-kit';
import { toOrder, type OrderRecord } from './order-record';
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
  /** Why the saga stopped for a human, while it is `needs-attention`. */
  attention?: string;
}

/** Admin-port routes: every order (optionally by status) for the audit, and retrying a saga that stopped for a human. */
@Injectable()
export class OrdersAdmin implements OnModuleInit {
  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(OrdersRepository) private readonly orders: OrdersRepository,
  ) {}

  onModuleInit(): void {
    // After a human fixed what a compensation kept failing on: the saga carries on from its step.
    this.routes.add('POST', '/admin/orders/:id/retry', ({ params }) => {
      const id = String(params.id);
      const order = this.orders.findById(id);
      if (!order) throw problem(404, 'order-not-found', 'Order not found', `no order with id ${id}`);
      if (!this.orders.retryStuck(id)) throw problem(409, 'not-stopped', 'The order is not waiting for a human', `order ${id} is ${order.status}; only a needs-attention order can be retried`);
      return this.audited(this.orders.findById(id) ?? order);
    });
    this.routes.add('GET', '/admin/orders', ({ query }) => {
      const status = query.status as OrderStatus | undefined;
      if (status !== undefined && !STATUSES.includes(status)) throw problem(400, 'validation', 'Unknown order status', `status must be one of ${STATUSES.join(', ')}`);
      const items: AuditedOrder[] = this.orders.list(status).map((record) => this.audited(record));
      return { items };
    });
  }

  private audited(record: OrderRecord): AuditedOrder {
    return {
      ...toOrder(record),
      idempotencyKey: record.idempotencyKey,
      nextStep: record.nextStep,
      compensations: record.compensations,
      stepAttempts: record.stepAttempts,
      ...(record.uncertainProvider ? { uncertainProvider: record.uncertainProvider } : {}),
      ...(record.refundId ? { refundId: record.refundId } : {}),
      ...(record.attention ? { attention: record.attention } : {}),
    };
  }
}
