import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import { FINAL_ORDER_STATUSES, type EventEnvelope, type Order, type OrderLine, type OrderStatus } from '@keel/contracts';
import { CheckoutDatabase } from '../database/checkout-database';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS replicated_orders (
    id TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    items TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    payment TEXT,
    shipment TEXT,
    failure_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS replicated_order_events_early (
    event_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    envelope TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS replicated_order_events_early_by_order ON replicated_order_events_early (order_id)`;

interface ReplicaRow {
  id: string;
  region: string;
  status: OrderStatus;
  items: string;
  total_cents: number;
  currency: 'USD';
  customer_email: string;
  payment: string | null;
  shipment: string | null;
  failure_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Whether `status` may replace `current`: an order only moves forward, so a late event cannot undo a later one. */
const rank = (status: OrderStatus) => (FINAL_ORDER_STATUSES.includes(status) ? 2 : status === 'payment-pending' ? 1 : 0);

/**
 * Orders owned by the other region, as its events describe them: a read model, so this region
 * can answer `GET /orders/:id` for them when their home region cannot. Written only by the
 * replica consumer; never a source of truth (the home region's checkout is).
 */
@Injectable()
export class ReplicatedOrders {
  private readonly db: DatabaseSync;
  private readonly statements: Record<'byId' | 'insert' | 'update' | 'keepEarly' | 'early' | 'dropEarly', StatementSync>;

  constructor(@Inject(CheckoutDatabase) database: CheckoutDatabase) {
    this.db = database.db;
    this.db.exec(SCHEMA);
    const sql = (text: string) => this.db.prepare(text);
    this.statements = {
      byId: sql('SELECT * FROM replicated_orders WHERE id = ?'),
      insert: sql(`INSERT INTO replicated_orders (id, region, status, items, total_cents, currency, customer_email, created_at, updated_at)
                   VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
      // A NULL leaves the column as it is: each event sets only the facts it carries.
      update: sql(`UPDATE replicated_orders SET status = coalesce($status, status), payment = coalesce($payment, payment),
                     shipment = coalesce($shipment, shipment), failure_reason = coalesce($reason, failure_reason), updated_at = max(updated_at, $at)
                   WHERE id = $id`),
      keepEarly: sql('INSERT OR IGNORE INTO replicated_order_events_early (event_id, order_id, envelope) VALUES (?, ?, ?)'),
      early: sql('SELECT envelope FROM replicated_order_events_early WHERE order_id = ?'),
      dropEarly: sql('DELETE FROM replicated_order_events_early WHERE order_id = ?'),
    };
  }

  find(id: string): Order | undefined {
    const row = this.statements.byId.get(id) as ReplicaRow | undefined;
    return row && toOrder(row);
  }

  get database(): DatabaseSync {
    return this.db;
  }

  /**
   * Applies one event of a foreign order. Order and shipping events travel on different topics, so
   * a shipment can arrive before its order.created: such an event is kept aside and applied when
   * the order arrives. Call inside a transaction.
   */
  apply(event: EventEnvelope): void {
    const data = event.data as { orderId: string };
    if (event.type !== 'order.created' && !this.statements.byId.get(data.orderId)) {
      this.statements.keepEarly.run(event.id, data.orderId, JSON.stringify(event));
      return;
    }
    this.applyKnown(event);
    if (event.type !== 'order.created') return;
    const early = this.statements.early.all(data.orderId) as { envelope: string }[];
    for (const row of early) this.applyKnown(JSON.parse(row.envelope) as EventEnvelope);
    this.statements.dropEarly.run(data.orderId);
  }

  private applyKnown(event: EventEnvelope): void {
    const at = event.occurredAt;
    const data = event.data as { orderId: string };
    if (event.type === 'order.created') {
      const created = (event as EventEnvelope<'order.created'>).data;
      this.statements.insert.run(created.orderId, created.region, JSON.stringify(created.items), created.totalCents, created.currency, created.customer.email, at, at);
      return;
    }
    const current = this.statements.byId.get(data.orderId) as unknown as ReplicaRow;
    const set = (facts: { status?: OrderStatus; payment?: string; shipment?: string; reason?: string }) => {
      const status = facts.status && rank(facts.status) >= rank(current.status) ? facts.status : null;
      this.statements.update.run({ id: data.orderId, at, status, payment: facts.payment ?? null, shipment: facts.shipment ?? null, reason: facts.reason ?? null });
    };
    switch (event.type) {
      case 'order.payment-pending':
        set({ status: 'payment-pending' });
        break;
      case 'order.confirmed':
        set({ status: 'confirmed', payment: JSON.stringify((event as EventEnvelope<'order.confirmed'>).data.payment) });
        break;
      case 'order.cancelled':
        set({ status: 'failed', reason: (event as EventEnvelope<'order.cancelled'>).data.reason });
        break;
      case 'order.needs-attention':
        set({ status: 'needs-attention' });
        break;
      case 'shipment.scheduled': {
        const { carrier, shipmentId } = (event as EventEnvelope<'shipment.scheduled'>).data;
        set({ shipment: JSON.stringify({ carrier, shipmentId }) });
        break;
      }
    }
  }
}

function toOrder(row: ReplicaRow): Order {
  return {
    id: row.id,
    region: row.region,
    status: row.status,
    items: JSON.parse(row.items) as OrderLine[],
    totalCents: row.total_cents,
    currency: row.currency,
    customer: { email: row.customer_email },
    ...(row.payment ? { payment: JSON.parse(row.payment) as Order['payment'] } : {}),
    ...(row.shipment ? { shipment: JSON.parse(row.shipment) as Order['shipment'] } : {}),
    ...(row.failure_reason ? { failureReason: row.failure_reason } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
